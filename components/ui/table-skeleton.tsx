export function TableSkeleton({ rows = 6, label }: { rows?: number; label: string }) {
  return (
    <div role="status" aria-label={label} className="animate-pulse space-y-2">
      <div className="h-8 w-1/3 rounded bg-slate-200" />
      {Array.from({ length: rows }, (_, index) => (
        <div key={index} className="h-10 rounded bg-slate-200/70" />
      ))}
      <span className="sr-only">{label}</span>
    </div>
  );
}
