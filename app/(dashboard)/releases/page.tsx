import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { HeaderLink } from "@/components/ui/header-link";
import { PageHeader } from "@/components/ui/page-header";
import { hasRole } from "@/lib/auth/roles";
import { listReleases } from "@/lib/server/releases";
import { requirePageUser } from "@/lib/server/session";

export const metadata = { title: "Releases" };

const DATE = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default async function ReleasesPage() {
  const user = await requirePageUser("viewer");
  const releases = await listReleases();
  return (
    <>
      <PageHeader
        title="Releases"
        description="Immutable release manifests: core and plugins, model pin, prompts, tools, memory schema, config."
        actions={hasRole(user.role, "operator") ? <HeaderLink href="/releases/new">New release</HeaderLink> : undefined}
      />
      {releases.length === 0 ? (
        <EmptyState title="No releases yet">Upload a release manifest (YAML or JSON) to plan an upgrade.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-4 py-3">
                  Release
                </th>
                <th scope="col" className="px-4 py-3">
                  Core
                </th>
                <th scope="col" className="px-4 py-3">
                  Replaces
                </th>
                <th scope="col" className="px-4 py-3">
                  sha256
                </th>
                <th scope="col" className="px-4 py-3">
                  Created
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {releases.map((release) => (
                <tr key={release.id} className="hover:bg-slate-50">
                  <th scope="row" className="px-4 py-2.5 font-medium">
                    <Link href={`/releases/${release.id}`} className="text-indigo-700 hover:underline">
                      {release.name}
                    </Link>
                  </th>
                  <td className="px-4 py-2.5 font-mono text-xs">{release.coreVersion}</td>
                  <td className="px-4 py-2.5 text-slate-600">{release.replaces ?? "—"}</td>
                  <td className="px-4 py-2.5 font-mono text-xs text-slate-500" title={release.manifestSha256}>
                    {release.manifestSha256.slice(0, 12)}…
                  </td>
                  <td className="px-4 py-2.5 text-slate-600">
                    {DATE.format(new Date(release.createdAt))} UTC by {release.createdBy}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
