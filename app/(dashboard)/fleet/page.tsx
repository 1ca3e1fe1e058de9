import { FleetView } from "@/components/fleet/fleet-view";
import { HeaderLink } from "@/components/ui/header-link";
import { PageHeader } from "@/components/ui/page-header";
import { hasRole } from "@/lib/auth/roles";
import { fleetFilterSchema } from "@/lib/fleet/node-registration";
import { listFleetStatus } from "@/lib/server/fleet/list-fleet-status";
import { listFleetReleases, listFleetRegions } from "@/lib/server/nodes";
import { requirePageUser } from "@/lib/server/session";

export const metadata = { title: "Fleet" };

export default async function FleetPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageUser("viewer");
  const filter = fleetFilterSchema.parse(await searchParams);
  const [nodes, regions, releases] = await Promise.all([listFleetStatus({ actor: user, filter }), listFleetRegions(), listFleetReleases()]);
  return (
    <>
      <PageHeader
        title="Fleet"
        description="Every gateway host, its release, LB weight and Doctor readiness. Green only when earned: fresh, doctor ok, versions agree, probe matches its peers."
        actions={hasRole(user.role, "operator") ? <HeaderLink href="/fleet/new">Register node</HeaderLink> : undefined}
      />
      <FleetView initialNodes={nodes} filter={filter} regions={regions} releases={releases} />
    </>
  );
}
