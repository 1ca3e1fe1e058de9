"use client";

import { useMemo, useState } from "react";
import { FilterSelect } from "@/components/ui/filter-select";
import type { AuditEventView } from "@/lib/audit/audit-event-view";
import { AuditEventList } from "./audit-event-list";

/** The event list with a kind filter and free-text search, both applied in the browser. */
export function FilterableEventList({ events }: { events: AuditEventView[] }) {
  const [kind, setKind] = useState("");
  const [text, setText] = useState("");
  const families = useMemo(() => [...new Set(events.map((event) => event.kind.split(".")[0]!))].sort(), [events]);
  const needle = text.trim().toLowerCase();
  const shown = events.filter(
    (event) =>
      (!kind || event.kind.startsWith(`${kind}.`)) &&
      (!needle || `${event.kind} ${event.actorEmail ?? ""} ${JSON.stringify(event.data)}`.toLowerCase().includes(needle)),
  );
  return (
    <section aria-labelledby="events-heading" className="space-y-2">
      <div className="flex flex-wrap items-end gap-3">
        <h2 id="events-heading" className="font-semibold">
          Events
        </h2>
        <FilterSelect label="Kind" allLabel="All kinds" value={kind} options={families} onChange={(family) => setKind(family ?? "")} />
        <label className="flex flex-col text-xs font-medium text-slate-600">
          Search
          <input
            type="search"
            value={text}
            onChange={(event) => setText(event.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1 text-sm"
          />
        </label>
        <span className="text-xs text-slate-500">
          {shown.length} of {events.length}
        </span>
      </div>
      <AuditEventList events={shown} />
    </section>
  );
}
