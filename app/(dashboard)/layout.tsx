import type { ReactNode } from "react";
import { AppShell } from "@/components/layout/app-shell";
import { requirePageUser } from "@/lib/server/session";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser("viewer");
  return <AppShell user={{ name: user.name, email: user.email, role: user.role }}>{children}</AppShell>;
}
