import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { signInErrorMessage } from "@/lib/auth/sign-in-error-message";
import { getSessionUser } from "@/lib/server/session";
import { DEMO_USERS } from "@/prisma/demo-users";

export const metadata = { title: "Sign in" };

/** Only same-site paths: an open redirect after sign-in would be a phishing aid. */
function safeCallbackUrl(value: string | undefined): string {
  return value && value.startsWith("/") && !value.startsWith("//") ? value : "/fleet";
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  if (await getSessionUser()) redirect(safeCallbackUrl(callbackUrl));
  const demoMode = process.env.ROLLBOOK_DEMO === "1";
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-100 p-6">
      <div className="w-full max-w-sm space-y-6">
        <div className="text-center">
          <h1 className="text-3xl font-bold tracking-tight">Rollbook</h1>
          <p className="mt-1 text-sm text-slate-600">Safe, boring upgrades for your agent fleet</p>
        </div>
        <LoginForm callbackUrl={safeCallbackUrl(callbackUrl)} initialError={signInErrorMessage(error)} />
        {demoMode && (
          <section
            aria-label="Demo accounts"
            className="rounded-lg border border-dashed border-slate-300 bg-white p-4 text-xs text-slate-600"
          >
            <h2 className="mb-2 font-semibold text-slate-800">Demo accounts</h2>
            <ul className="space-y-1 font-mono">
              {DEMO_USERS.map((user) => (
                <li key={user.email}>
                  {user.email} / {user.password} <span className="text-slate-400">({user.role})</span>
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </main>
  );
}
