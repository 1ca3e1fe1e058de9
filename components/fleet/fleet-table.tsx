import Link from "next/link";
import { Sparkline } from "@/components/ui/sparkline";
import type { FleetNodeStatus } from "@/lib/fleet/fleet-node-status";
import { METRIC_ALERT_LINES } from "@/lib/fleet/metric-range";
import { ReadinessBadge } from "./readiness-badge";

const ROLE_STYLES: Record<FleetNodeStatus["role"], string> = {
  canary: "bg-amber-100 text-amber-800",
  stable: "bg-slate-100 text-slate-700",
  witness: "bg-sky-100 text-sky-800",
};

export function FleetTable({ nodes, refreshing }: { nodes: FleetNodeStatus[]; refreshing: boolean }) {
  return (
    <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Fleet nodes{refreshing ? " (refreshing)" : ""}</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-3">
              Node
            </th>
            <th scope="col" className="px-4 py-3">
              Readiness
            </th>
            <th scope="col" className="px-4 py-3">
              Role
            </th>
            <th scope="col" className="px-4 py-3">
              Region
            </th>
            <th scope="col" className="px-4 py-3">
              Core version
            </th>
            <th scope="col" className="px-4 py-3 text-right">
              LB weight
            </th>
            <th scope="col" className="px-4 py-3">
              Memory %
            </th>
            <th scope="col" className="px-4 py-3">
              Queue
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {nodes.map((node) => (
            <tr key={node.id} className="hover:bg-slate-50">
              <th scope="row" className="px-4 py-2 text-left font-medium">
                <Link href={`/fleet/${node.id}`} className="text-indigo-700 hover:underline">
                  {node.name}
                </Link>
              </th>
              <td className="px-4 py-2">
                <ReadinessBadge readiness={node.readiness} />
                {node.probeDisagreement && (
                  <span
                    className="ml-1 text-xs text-rose-700"
                    title={node.probeDisagreement
                      .map(
                        (difference) =>
                          `${difference.part}: ${JSON.stringify(difference.node)} vs peers ${JSON.stringify(difference.majority)}`,
                      )
                      .join("\n")}
                  >
                    differs from peers
                  </span>
                )}
              </td>
              <td className="px-4 py-2">
                <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${ROLE_STYLES[node.role]}`}>{node.role}</span>
              </td>
              <td className="px-4 py-2 text-slate-600">{node.region}</td>
              <td className="px-4 py-2 font-mono text-xs">{node.coreVersion ?? "unknown"}</td>
              <td className="px-4 py-2 text-right tabular-nums">{node.lbWeight}</td>
              <td className="px-4 py-2">
                <Sparkline values={node.memorySpark} max={100} alertAt={METRIC_ALERT_LINES.memoryPercent} label={`${node.name} memory %`} />
              </td>
              <td className="px-4 py-2">
                <Sparkline values={node.queueSpark} alertAt={METRIC_ALERT_LINES.queueDepth} label={`${node.name} queue depth`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
