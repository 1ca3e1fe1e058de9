import type { FleetNode } from "@/lib/fleet/fleet-node";

const ROLE_STYLES: Record<FleetNode["role"], string> = {
  canary: "bg-amber-100 text-amber-800",
  stable: "bg-slate-100 text-slate-700",
  witness: "bg-sky-100 text-sky-800",
};

export function FleetTable({ nodes, refreshing }: { nodes: FleetNode[]; refreshing: boolean }) {
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
              Agent
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {nodes.map((node) => (
            <tr key={node.id} className="hover:bg-slate-50">
              <th scope="row" className="px-4 py-2.5 font-medium">
                {node.name}
              </th>
              <td className="px-4 py-2.5">
                <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${ROLE_STYLES[node.role]}`}>{node.role}</span>
              </td>
              <td className="px-4 py-2.5 text-slate-600">{node.region}</td>
              <td className="px-4 py-2.5 font-mono text-xs">{node.coreVersion ?? "unknown"}</td>
              <td className="px-4 py-2.5 text-right tabular-nums">{node.lbWeight}</td>
              <td className="px-4 py-2.5 font-mono text-xs text-slate-500">{node.agentUrl}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
