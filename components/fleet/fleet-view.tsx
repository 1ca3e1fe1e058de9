"use client";

import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import { EmptyState } from "@/components/ui/empty-state";
import type { FleetFilter } from "@/lib/fleet/node-registration";
import { versionDistribution } from "@/lib/fleet/version-distribution";
import { fetchJson } from "@/lib/http/fetch-json";
import { queryKeys } from "@/lib/query-keys";
import type { FleetNodeStatus } from "@/lib/fleet/fleet-node-status";
import { FleetFilters } from "./fleet-filters";
import { FleetTable } from "./fleet-table";
import { ReadinessSummary } from "./readiness-summary";
import { VersionChart } from "./version-chart";

const FLEET_POLL_MS = 10_000;

export function FleetView({
  initialNodes,
  filter,
  regions,
  releases,
}: {
  initialNodes: FleetNodeStatus[];
  filter: FleetFilter;
  regions: string[];
  releases: string[];
}) {
  const router = useRouter();
  const pathname = usePathname();
  const params = new URLSearchParams(Object.entries(filter).filter((entry): entry is [string, string] => Boolean(entry[1])));
  const {
    data: nodes,
    isFetching,
    error,
  } = useQuery({
    queryKey: queryKeys.fleet.list(filter),
    queryFn: async () => (await fetchJson<{ nodes: FleetNodeStatus[] }>(`/api/nodes?${params.toString()}`)).nodes,
    initialData: initialNodes,
    refetchInterval: FLEET_POLL_MS,
  });

  function applyFilter(next: FleetFilter) {
    const query = new URLSearchParams(Object.entries(next).filter((entry): entry is [string, string] => Boolean(entry[1])));
    router.replace(query.size ? `${pathname}?${query.toString()}` : pathname);
  }

  const filtered = Boolean(filter.role || filter.region || filter.q || filter.release || filter.status);
  return (
    <div className="space-y-6">
      <FleetFilters filter={filter} regions={regions} releases={releases} onChange={applyFilter} />
      {error && (
        <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
          Live refresh failed ({error.message}); showing the last data received.
        </p>
      )}
      {nodes.length === 0 ? (
        filtered ? (
          <EmptyState title="No node matches these filters">Clear a filter to see more of the fleet.</EmptyState>
        ) : (
          <EmptyState title="No nodes yet">
            Register a gateway host, or start the demo fleet with <code className="font-mono">npm run demo</code>.
          </EmptyState>
        )
      ) : (
        <>
          <ReadinessSummary nodes={nodes} filter={filter} onChange={applyFilter} />
          <VersionChart data={versionDistribution(nodes)} />
          <FleetTable nodes={nodes} refreshing={isFetching} />
        </>
      )}
    </div>
  );
}
