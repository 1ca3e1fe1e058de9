import type { FleetNodeStatus } from "@/lib/fleet/fleet-node-status";

const COLORS = {
  green: "bg-emerald-100 text-emerald-800 ring-emerald-300",
  amber: "bg-amber-100 text-amber-900 ring-amber-300",
  red: "bg-rose-100 text-rose-800 ring-rose-300",
  grey: "bg-slate-200 text-slate-700 ring-slate-300",
} as const;

function formatAge(ms: number | null): string {
  if (ms === null) return "";
  if (ms < 60_000) return `${Math.round(ms / 1000)} s ago`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min ago`;
  return `${Math.round(ms / 3_600_000)} h ago`;
}

/** The node's merged readiness: colour, label, and every reason on hover (and for screen readers). */
export function ReadinessBadge({ readiness }: { readiness: FleetNodeStatus["readiness"] }) {
  const reasons = readiness.reasons.map((reason) => reason.message).join("\n");
  const age = readiness.color === "grey" && readiness.ageMs !== null ? ` · data ${formatAge(readiness.ageMs)}` : "";
  return (
    <span
      title={reasons || "All checks pass"}
      data-readiness={readiness.color}
      className={`inline-flex items-center gap-1 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${COLORS[readiness.color]}`}
    >
      <span aria-hidden className="h-1.5 w-1.5 rounded-full bg-current" />
      {readiness.label}
      {age}
      {reasons && <span className="sr-only">: {reasons}</span>}
    </span>
  );
}
