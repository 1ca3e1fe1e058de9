import type { AuditEventView } from "@/lib/audit/audit-event-view";
import { describeEvent } from "@/lib/exports/describe-event";

const TIME_FORMAT = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

export function AuditEventList({ events }: { events: AuditEventView[] }) {
  return (
    <ol aria-label="Audit events" className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      {events.map((event) => (
        <li key={event.seq} className="flex flex-wrap items-baseline gap-x-4 gap-y-1 px-4 py-2.5 text-sm">
          <time dateTime={event.at} className="w-48 shrink-0 font-mono text-xs text-slate-500">
            {TIME_FORMAT.format(new Date(event.at))} UTC
          </time>
          <span className="font-medium">{event.kind}</span>
          <span className="text-slate-600">{event.actorEmail ?? "system"}</span>
          <span className="min-w-0 flex-1 truncate text-slate-700" title={JSON.stringify(event.data)}>
            {describeEvent(event)}
          </span>
        </li>
      ))}
    </ol>
  );
}
