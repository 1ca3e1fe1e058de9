import type { FleetNodeStatus } from "@/lib/fleet/fleet-node-status";
import type { FleetFilter } from "@/lib/fleet/node-registration";

const CHIPS = [
  { color: "green", label: "ready", className: "bg-emerald-100 text-emerald-800" },
  { color: "amber", label: "warning", className: "bg-amber-100 text-amber-900" },
  { color: "red", label: "failing", className: "bg-rose-100 text-rose-800" },
  { color: "grey", label: "stale / unreachable", className: "bg-slate-200 text-slate-700" },
] as const;

/** How many nodes are in each readiness state; a click filters the table to that state. */
export function ReadinessSummary({
  nodes,
  filter,
  onChange,
}: {
  nodes: FleetNodeStatus[];
  filter: FleetFilter;
  onChange: (next: FleetFilter) => void;
}) {
  const counts = new Map<string, number>();
  for (const node of nodes) counts.set(node.readiness.color, (counts.get(node.readiness.color) ?? 0) + 1);
  return (
    <div role="group" aria-label="Readiness summary" className="flex flex-wrap items-center gap-2 text-sm">
      <span className="font-medium">{nodes.length} nodes</span>
      {CHIPS.map((chip) => (
        <button
          key={chip.color}
          type="button"
          aria-pressed={filter.status === chip.color}
          onClick={() => onChange({ ...filter, status: filter.status === chip.color ? undefined : chip.color })}
          className={`rounded-full px-3 py-0.5 text-xs font-medium ${chip.className} ${filter.status === chip.color ? "ring-2 ring-slate-900" : ""}`}
        >
          {counts.get(chip.color) ?? 0} {chip.label}
        </button>
      ))}
    </div>
  );
}
