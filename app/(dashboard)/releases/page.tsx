import Link from "next/link";
import { DataTable } from "@/components/ui/data-table";
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
        <DataTable columns={["Release", "Core", "Replaces", "sha256", "Created"]}>
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
        </DataTable>
      )}
    </>
  );
}
