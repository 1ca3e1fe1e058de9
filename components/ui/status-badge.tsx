const TONES: Record<string, string> = {
  draft: "bg-slate-100 text-slate-700",
  approved: "bg-sky-100 text-sky-800",
  running: "bg-indigo-100 text-indigo-800",
  paused: "bg-amber-100 text-amber-800",
  rolling_back: "bg-rose-100 text-rose-800",
  stalled: "bg-amber-200 text-amber-950",
  interrupted: "bg-slate-200 text-slate-700",
  completed: "bg-emerald-100 text-emerald-800",
  rolled_back: "bg-rose-100 text-rose-800",
  aborted: "bg-slate-200 text-slate-700",
  pending: "bg-slate-100 text-slate-600",
  awaiting_activation: "bg-amber-100 text-amber-900",
  succeeded: "bg-emerald-100 text-emerald-800",
  failed: "bg-rose-100 text-rose-800",
  skipped: "bg-slate-100 text-slate-400",
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span
      className={`inline-block whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ${TONES[status] ?? "bg-slate-100 text-slate-700"}`}
    >
      {status.replaceAll("_", " ")}
    </span>
  );
}
