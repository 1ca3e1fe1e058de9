import type { ReactNode } from "react";
import type { Role } from "@/lib/auth/roles";
import { NavLinks } from "./nav-links";
import { SignOutButton } from "./sign-out-button";

export function AppShell({ user, children }: { user: { name: string; email: string; role: Role }; children: ReactNode }) {
  return (
    <div className="flex min-h-screen">
      <aside className="flex w-56 shrink-0 flex-col bg-slate-900 text-slate-100">
        <div className="px-5 py-5 text-lg font-bold tracking-tight">Rollbook</div>
        <NavLinks showAdmin={user.role === "admin"} />
        <div className="mt-auto border-t border-slate-800 px-5 py-4 text-sm">
          <p className="truncate font-medium" title={user.email}>
            {user.name}
          </p>
          <p className="mb-3 text-xs text-slate-400">
            Role: <span data-testid="current-role">{user.role}</span>
          </p>
          <SignOutButton />
        </div>
      </aside>
      <main className="min-w-0 flex-1 px-8 py-6">{children}</main>
    </div>
  );
}
