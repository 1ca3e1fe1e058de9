import type { GanttBar, TimelineMarker } from "@/lib/plans/plan-timeline-layout";

const BAR_COLORS: Record<string, string> = {
  succeeded: "bg-emerald-500",
  running: "bg-indigo-500 animate-pulse",
  failed: "bg-rose-600",
  awaiting_activation: "bg-amber-400",
};
const MARKER_COLORS: Record<TimelineMarker["tone"], string> = {
  approval: "bg-sky-500",
  gate: "bg-rose-600",
  rollback: "bg-fuchsia-600",
  control: "bg-slate-500",
};
const TIME = new Intl.DateTimeFormat("en-GB", { timeStyle: "medium", timeZone: "UTC" });

/** Steps per node over time, with approvals, gate trips, rollbacks and pauses marked across all rows. */
export function PlanGantt({
  rows,
  bars,
  markers,
  start,
  end,
}: {
  rows: string[];
  bars: GanttBar[];
  markers: TimelineMarker[];
  start: number;
  end: number;
}) {
  return (
    <figure aria-label="Plan timeline" className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <figcaption className="mb-2 flex justify-between text-xs text-slate-500">
        <span>{TIME.format(start)} UTC</span>
        <span className="flex gap-3">
          {Object.entries(MARKER_COLORS).map(([tone, color]) => (
            <span key={tone} className="flex items-center gap-1">
              <span className={`inline-block h-3 w-0.5 ${color}`} />
              {tone}
            </span>
          ))}
        </span>
        <span>{TIME.format(end)} UTC</span>
      </figcaption>
      <div className="relative">
        {markers.map((marker, index) => (
          <div
            key={`${marker.at}-${index}`}
            title={`${TIME.format(marker.at)} ${marker.label}`}
            data-marker={marker.tone}
            className={`absolute top-0 bottom-0 z-10 w-0.5 opacity-70 ${MARKER_COLORS[marker.tone]}`}
            style={{ left: `calc(8rem + (100% - 8rem) * ${marker.position})` }}
          />
        ))}
        {rows.map((row) => (
          <div key={row} className="flex h-7 items-center border-b border-slate-100 last:border-0">
            <div className="w-32 shrink-0 truncate pr-2 text-xs font-medium">{row}</div>
            <div className="relative h-4 flex-1 rounded bg-slate-50">
              {bars
                .filter((bar) => bar.nodeName === row)
                .map((bar) => (
                  <div
                    key={bar.stepId}
                    title={bar.label}
                    aria-label={bar.label}
                    role="img"
                    className={`absolute top-0 h-4 rounded-sm ${BAR_COLORS[bar.status] ?? "bg-slate-300"}`}
                    style={{ left: `${bar.left * 100}%`, width: `${bar.width * 100}%` }}
                  />
                ))}
            </div>
          </div>
        ))}
      </div>
    </figure>
  );
}
