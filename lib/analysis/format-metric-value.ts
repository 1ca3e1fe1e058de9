import type { AnalysisMetricDefinition, ToleranceKind } from "./analysis-metrics";

/** "264 ms", "41.2%", "0.93": a value with four significant digits at most and the metric's unit. */
export function formatMetricValue(metric: AnalysisMetricDefinition, value: number): string {
  return `${formatNumber(value)}${metric.unit}`;
}

/**
 * A signed change: "+27.2%" for a relative change (0.272), "+2.1 pp" for an absolute change of a
 * percentage metric, "+120 ms" / "−0.05" otherwise.
 */
export function formatChange(metric: AnalysisMetricDefinition, tolerance: ToleranceKind, change: number): string {
  const sign = change > 0 ? "+" : change < 0 ? "−" : "±";
  const magnitude = Math.abs(change);
  if (tolerance === "relative") return `${sign}${formatNumber(magnitude * 100, 3)}%`;
  return `${sign}${formatNumber(magnitude)}${metric.unit === "%" ? " pp" : metric.unit}`;
}

/** "p < 0.001", "p = 0.042". */
export function formatPValue(p: number): string {
  return p < 0.001 ? "p < 0.001" : `p = ${p.toFixed(3)}`;
}

export function formatNumber(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) && Math.abs(value) < 1e6 ? String(value) : String(Number(value.toPrecision(digits)));
}
