import { median } from "simple-statistics";
import { AppError } from "@/lib/app-error";
import { ANALYSIS_METRICS, type AnalysisMetricKey } from "./analysis-metrics";
import { formatMetricValue, formatNumber, formatPValue } from "./format-metric-value";
import { mannKendall } from "./mann-kendall";
import type { MetricPoint } from "./metric-series-from-samples";
import { normalSurvival } from "./normal-survival";
import { THEIL_SEN_MAX_POINTS, theilSen } from "./theil-sen";

const MINUTE_MS = 60_000;

/** Fewest points for a trend: 12 is three minutes of 15 s samples. */
export const TREND_MIN_POINTS = 12;
/**
 * Fewest minutes the points must span. Longer than a Node heap's garbage-collection cycle (3–7
 * minutes of climb, then a drop): over a shorter span the rising half of one cycle is a perfectly
 * monotone series and reads as a leak. Measured by the analysis benchmark: with 2 minutes, 55 of
 * 100 healthy canaries were stopped; with 9 (and the first look at minute 10), none.
 */
export const TREND_MIN_SPAN_MINUTES = 9;

export type TrendStatus = "fail" | "rising" | "steady" | "inconclusive";

export interface TrendResult {
  key: AnalysisMetricKey;
  nodeId: string;
  /**
   * fail: significantly worsening and the projection reaches the limit within the horizon;
   * rising: significantly worsening, but no limit or the crossing lies beyond the horizon;
   * steady: no significant trend in the bad direction; inconclusive: too few or broken points.
   */
  status: TrendStatus;
  /** Points used (finite, not after `now`, the latest THEIL_SEN_MAX_POINTS). */
  n: number;
  /** Theil–Sen slope in the metric's unit per minute. */
  slopePerMinute: number | null;
  /** Sen's confidence interval of the slope, at `confidence`. */
  slopeCi: { low: number; high: number } | null;
  confidence: number;
  /** One-sided Mann–Kendall p-value (continuity-corrected) for a trend in the bad direction. */
  pValue: number | null;
  /** The fitted line's value now. */
  level: number | null;
  limit: number | null;
  /** Minutes from now until the fitted line reaches the limit (0 if it already has), with the slope CI's times. */
  crossing: { inMinutes: number; ciMinutes: { low: number; high: number | null } } | null;
  horizonMinutes: number;
  /** "memory +1.9%/min, crosses 75% in ~22 min (95% CI 15–31 min)" */
  message: string;
}

export interface ProjectTrendCrossingInput {
  key: AnalysisMetricKey;
  nodeId: string;
  /** One node's samples of the metric (the caller's trend window); any order. */
  points: readonly MetricPoint[];
  /** The absolute limit the projection aims at; null projects nothing. */
  limit: number | null;
  now: Date;
  /** How far ahead a crossing counts: the rest of the plan's exposure, at least 2 h by default config. */
  horizonMs: number;
  /** Significance level of the one-sided Mann–Kendall test. */
  alpha: number;
  /** Of the slope interval. Default 0.95. */
  confidence?: number;
}

/**
 * Leak detection on the canary alone: is this node's metric trending the bad way, and when will it
 * reach its limit? Mann–Kendall decides whether there is a trend (rank-based, so ±200 MB of GC noise
 * around a 0.3 %/min rise does not hide it the way it sinks an R² filter), Theil–Sen measures it
 * (median of pairwise slopes, with Sen's interval), and the line through the Theil–Sen pivot
 * (median time, median value) is projected to the limit:
 *   t(b) = x̃ + (limit − ỹ) / b   minutes from now (x is minutes relative to `now`),
 * at the median slope for the estimate and at the slope interval's bounds for its interval (the
 * slower bound gives no upper time when it does not worsen at all). Only the slope's uncertainty is
 * in that interval, not the level's; with the level at the median of ≥ 12 points that is the smaller part.
 *
 * fail = one-sided MK p < α in the bad direction AND a limit AND t(median slope) ≤ horizon. A rise
 * whose crossing is further off is "rising": worth showing, not worth a rollback yet.
 */
export function projectTrendCrossing(input: ProjectTrendCrossingInput): TrendResult {
  const { key, nodeId, limit, now, horizonMs, alpha, confidence = 0.95 } = input;
  if (!(horizonMs > 0)) throw new AppError("internal", `horizonMs must be positive, got ${horizonMs}.`);
  if (!(alpha > 0 && alpha < 1)) throw new AppError("internal", `alpha must be in (0, 1), got ${alpha}.`);
  const metric = ANALYSIS_METRICS[key];
  const nowMs = now.getTime();
  const horizonMinutes = horizonMs / MINUTE_MS;
  const base = { key, nodeId, confidence, limit, horizonMinutes };
  const nothing = { slopePerMinute: null, slopeCi: null, pValue: null, level: null, crossing: null };

  const recent = input.points.filter((point) => point.t <= nowMs);
  const broken = recent.filter((point) => !Number.isFinite(point.v) || !Number.isFinite(point.t)).length;
  if (broken > 0) {
    return {
      ...base,
      ...nothing,
      status: "inconclusive",
      n: recent.length,
      message: `${metric.label} on ${nodeId}: ${broken} point${broken === 1 ? " is" : "s are"} NaN or infinite; no trend judged.`,
    };
  }
  const points = [...recent].sort((a, b) => a.t - b.t).slice(-THEIL_SEN_MAX_POINTS);
  const x = points.map((point) => (point.t - nowMs) / MINUTE_MS);
  const y = points.map((point) => point.v);
  const span = x.length > 0 ? x.at(-1)! - x[0]! : 0;
  if (points.length < TREND_MIN_POINTS || span < TREND_MIN_SPAN_MINUTES) {
    return {
      ...base,
      ...nothing,
      status: "inconclusive",
      n: points.length,
      message: `${metric.label} on ${nodeId}: ${points.length} point${points.length === 1 ? "" : "s"} over ${formatNumber(span, 2)} min, too few for a trend (at least ${TREND_MIN_POINTS} over ${TREND_MIN_SPAN_MINUTES} min).`,
    };
  }

  const fit = theilSen(x, y, { confidence });
  const mk = mannKendall(x, y);
  const sign = metric.badDirection === "increase" ? 1 : -1;
  const pValue = normalSurvival(sign * mk.z);
  const significant = pValue < alpha && sign * fit.slope > 0;
  const pivotX = median(x);
  const pivotY = median(y);
  const level = fit.intercept;
  const slopeText = `${fit.slope > 0 ? "+" : fit.slope < 0 ? "−" : "±"}${formatNumber(Math.abs(fit.slope), 2)}${metric.unit}/min`;
  const measured = {
    n: points.length,
    slopePerMinute: fit.slope,
    slopeCi: Number.isFinite(fit.lowSlope) && Number.isFinite(fit.highSlope) ? { low: fit.lowSlope, high: fit.highSlope } : null,
    pValue,
    level,
  };

  if (!significant) {
    return {
      ...base,
      ...measured,
      crossing: null,
      status: "steady",
      message: `${metric.label} on ${nodeId}: ${slopeText}, no significant ${metric.badDirection === "increase" ? "rise" : "fall"} (${formatPValue(pValue)}, α = ${alpha}).`,
    };
  }
  if (limit === null) {
    return {
      ...base,
      ...measured,
      crossing: null,
      status: "rising",
      message: `${metric.label} on ${nodeId}: ${slopeText} (${formatPValue(pValue)}), no limit to project to.`,
    };
  }

  const timeAt = (slope: number): number | null => (sign * slope > 0 ? Math.max(0, pivotX + (limit - pivotY) / slope) : null);
  const inMinutes = timeAt(fit.slope)!;
  const fast = sign > 0 ? fit.highSlope : fit.lowSlope;
  const slow = sign > 0 ? fit.lowSlope : fit.highSlope;
  const ciMinutes = { low: (Number.isFinite(fast) ? timeAt(fast) : null) ?? 0, high: Number.isFinite(slow) ? timeAt(slow) : null };
  const crossing = { inMinutes, ciMinutes };
  const limitText = formatMetricValue(metric, limit);
  const when = inMinutes === 0 ? "is at or past" : "crosses";
  const ciText = `${Math.round(confidence * 100)}% CI ${formatInterval(ciMinutes.low, ciMinutes.high)}`;
  const projection = `${metric.label} ${slopeText}, ${when} ${limitText}${inMinutes === 0 ? " now" : ` in ~${formatMinutes(inMinutes)}`} (${ciText})`;
  if (inMinutes <= horizonMinutes) {
    return { ...base, ...measured, crossing, status: "fail", message: `${projection} on ${nodeId}.` };
  }
  return {
    ...base,
    ...measured,
    crossing,
    status: "rising",
    message: `${projection} on ${nodeId}, beyond the ${formatMinutes(horizonMinutes)} horizon.`,
  };
}

/** "22 min", "2.5 h": minutes below two hours, hours to one decimal above. */
export function formatMinutes(minutes: number): string {
  if (minutes < 1) return "<1 min";
  if (minutes < 120) return `${Math.round(minutes)} min`;
  return `${formatNumber(minutes / 60, 2)} h`;
}

function formatInterval(low: number, high: number | null): string {
  if (high === null) return `≥ ${formatMinutes(low)}`;
  if (low >= 1 && high < 120) return `${Math.round(low)}–${Math.round(high)} min`;
  return `${formatMinutes(low)}–${formatMinutes(high)}`;
}
