import Link from "next/link";
import { DataTable } from "@/components/ui/data-table";
import { Sparkline } from "@/components/ui/sparkline";
import type { FleetNodeStatus } from "@/lib/fleet/fleet-node-status";
import { METRIC_ALERT_LINES } from "@/lib/fleet/metric-range";
import { ReadinessBadge } from "./readiness-badge";

const ROLE_STYLES: Record<FleetNodeStatus["role"], string> = {
  canary: "bg-amber-100 text-amber-800",
  stable: "bg-slate-100 text-slate-700",
  witness: "bg-sky-100 text-sky-800",
};

const FLEET_COLUMNS = [
  "Node",
  "Readiness",
  "Role",
  "Region",
  "Core version",
  { key: "weight", label: "LB weight", align: "right" },
  "Memory %",
  "Queue",
] as const;

export function FleetTable({ nodes, refreshing }: { nodes: FleetNodeStatus[]; refreshing: boolean }) {
  return (
    <DataTable caption={`Fleet nodes${refreshing ? " (refreshing)" : ""}`} columns={FLEET_COLUMNS}>
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
    </DataTable>
  );
}
