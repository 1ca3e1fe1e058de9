import Link from "next/link";

/** The primary action of a page header, e.g. "New plan". */
export function HeaderLink({ href, children }: { href: string; children: string }) {
  return (
    <Link href={href} className="rounded-md bg-slate-900 px-3 py-2 text-sm font-medium text-white hover:bg-slate-700">
      {children}
    </Link>
  );
}
