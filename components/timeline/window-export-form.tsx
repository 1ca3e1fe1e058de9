"use client";

import { useState } from "react";

function isoMinute(date: Date): string {
  return date.toISOString().slice(0, 16);
}

/** Exports every event in a time window (UTC) in one of the three formats; the server streams it. */
export function WindowExportForm() {
  const [now] = useState(() => new Date());
  return (
    <form
      action="/api/timeline/export"
      method="get"
      aria-label="Export a time window"
      className="flex flex-wrap items-end gap-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
    >
      <label className="flex flex-col text-xs font-medium text-slate-600">
        From (UTC)
        <input
          type="datetime-local"
          name="from"
          defaultValue={isoMinute(new Date(now.getTime() - 24 * 3_600_000))}
          required
          className="rounded-md border border-slate-300 px-2 py-1 text-sm"
        />
      </label>
      <label className="flex flex-col text-xs font-medium text-slate-600">
        To (UTC)
        <input
          type="datetime-local"
          name="to"
          defaultValue={isoMinute(new Date(now.getTime() + 60_000))}
          required
          className="rounded-md border border-slate-300 px-2 py-1 text-sm"
        />
      </label>
      {(
        [
          ["md", "Postmortem (Markdown)"],
          ["json", "Bundle (JSON)"],
          ["csv", "Events (CSV)"],
        ] as const
      ).map(([format, label]) => (
        <button
          key={format}
          type="submit"
          name="format"
          value={format}
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
        >
          {label}
        </button>
      ))}
    </form>
  );
}
