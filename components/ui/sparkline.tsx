/**
 * A tiny inline SVG trend. Plain SVG rather than a chart library: the fleet page draws two per node
 * and must stay fast with a thousand nodes. Gaps (null) break the line instead of bridging it.
 */
export function Sparkline({ values, max, label, alertAt }: { values: (number | null)[]; max?: number; label: string; alertAt?: number }) {
  const width = 80;
  const height = 20;
  const known = values.filter((value): value is number => value !== null);
  if (known.length === 0) return <span className="text-xs text-slate-400">no data</span>;
  const top = Math.max(max ?? 0, ...known, alertAt ?? 0) || 1;
  const x = (index: number) => (values.length <= 1 ? width : (index / (values.length - 1)) * width);
  const y = (value: number) => height - (value / top) * height;
  const segments: string[] = [];
  let current = "";
  values.forEach((value, index) => {
    if (value === null) {
      if (current) segments.push(current);
      current = "";
      return;
    }
    current += `${current ? "L" : "M"}${x(index).toFixed(1)},${y(value).toFixed(1)}`;
  });
  if (current) segments.push(current);
  const last = known.at(-1)!;
  const alarming = alertAt !== undefined && last >= alertAt;
  return (
    <svg width={width} height={height} role="img" aria-label={`${label}: latest ${last.toFixed(0)}`} className="inline-block align-middle">
      {alertAt !== undefined && <line x1={0} x2={width} y1={y(alertAt)} y2={y(alertAt)} stroke="#fda4af" strokeDasharray="2 2" />}
      {segments.map((d) => (
        <path key={d} d={d} fill="none" stroke={alarming ? "#e11d48" : "#4f46e5"} strokeWidth={1.5} />
      ))}
    </svg>
  );
}
