/** Download links for the three incident-review formats; plain links, so the browser streams them. */
export function ExportButtons({ href }: { href: (format: "md" | "json" | "csv") => string }) {
  const formats = [
    { format: "md", label: "Postmortem (Markdown)" },
    { format: "json", label: "Bundle (JSON)" },
    { format: "csv", label: "Events (CSV)" },
  ] as const;
  return (
    <div role="group" aria-label="Export incident review" className="flex flex-wrap gap-2">
      {formats.map(({ format, label }) => (
        <a
          key={format}
          href={href(format)}
          download
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
        >
          {label}
        </a>
      ))}
    </div>
  );
}
