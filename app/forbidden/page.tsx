import Link from "next/link";
import { isRole } from "@/lib/auth/roles";

export const metadata = { title: "Not allowed" };

export default async function ForbiddenPage({ searchParams }: { searchParams: Promise<{ need?: string }> }) {
  const { need } = await searchParams;
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col items-center justify-center gap-4 p-8 text-center">
      <p className="text-sm font-semibold text-rose-600">403</p>
      <h1 className="text-2xl font-semibold">You are not allowed to do that</h1>
      <p className="text-slate-600">
        {isRole(need) ? `This needs the ${need} role.` : "Your role does not allow this."} Ask an admin if you need it.
      </p>
      <Link href="/fleet" className="rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700">
        Back to the fleet
      </Link>
    </main>
  );
}
