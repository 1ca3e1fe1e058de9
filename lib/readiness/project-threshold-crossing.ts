import { linearRegression, linearRegressionLine, rSquared } from "simple-statistics";
import { AppError } from "@/lib/app-error";
import type { SeriesPoint } from "./downsample-series";
import { formatApproxDuration } from "./format-approx-duration";

const HOUR_MS = 3_600_000;

export interface ProjectThresholdCrossingInput {
  /** Recent samples, `t` in epoch ms, e.g. memory percent; any order. */
  points: readonly SeriesPoint[];
  threshold: number;
  now: Date;
  /** Only points in [now − windowMs, now] are fitted. Default 1 h. */
  windowMs?: number;
  /** Fewest points in the window for a projection. Default 10, at least 3. */
  minPoints?: number;
  /** Fewest R² of the fit for a projection. Default 0.8. */
  minRSquared?: number;
  /** Crossings further away than this are not reported. Default 24 h. */
  horizonMs?: number;
  /** Appended to the threshold in messages. Default "%". */
  unit?: string;
}

export type ThresholdProjection =
  | {
      status: "crossing";
      crossesAt: Date;
      /** From `now`; 0 when the fitted line is already at the threshold. */
      inMs: number;
      slopePerHour: number;
      rSquared: number;
      /** "crosses 75% in ~40 min" */
      message: string;
    }
  | {
      status: "above";
      /** The latest sample in the window. */
      value: number;
      /** "above 75% now" */
      message: string;
    };

/**
 * Leak detection from the trend: fits a least-squares line to the last window of samples and,
 * if it climbs steadily, says when it reaches the threshold — the warning that lets someone
 * pause a rollout before the memory guardrail trips. Like PromQL's predict_linear, but it only
 * speaks when the line explains the data: at least `minPoints` points covering at least half of
 * the window (so a burst of scrapes after a restart can't draw a steep line) and R² ≥
 * `minRSquared` (so noise around a flat level is not a trend).
 *
 * Returns `{ status: "above" }` when the latest sample is already at or over the threshold,
 * null when there is no trend worth reporting: too little data, flat or falling, a poor fit, or
 * a crossing beyond `horizonMs` (a straight line extrapolated that far is a guess).
 */
export function projectThresholdCrossing(input: ProjectThresholdCrossingInput): ThresholdProjection | null {
  const { threshold, now, windowMs = HOUR_MS, minPoints = 10, minRSquared = 0.8, horizonMs = 24 * HOUR_MS, unit = "%" } = input;
  if (!Number.isFinite(threshold)) throw new AppError("internal", `threshold must be finite, got ${threshold}.`);
  if (!(windowMs > 0) || !(horizonMs > 0)) throw new AppError("internal", "windowMs and horizonMs must be positive.");
  if (!Number.isInteger(minPoints) || minPoints < 3) {
    // Two points always fit a line perfectly (R² = 1), so they prove nothing about a trend.
    throw new AppError("internal", `minPoints must be an integer ≥ 3, got ${minPoints}.`);
  }
  const nowMs = now.getTime();
  const recent = input.points
    .filter(({ t, v }) => Number.isFinite(t) && Number.isFinite(v) && t >= nowMs - windowMs && t <= nowMs)
    .sort((a, b) => a.t - b.t);
  const latest = recent.at(-1);
  if (latest === undefined) return null;
  const label = `${threshold}${unit}`;
  if (latest.v >= threshold) {
    return { status: "above", value: latest.v, message: `${latest.v > threshold ? "above" : "at"} ${label} now` };
  }
  const earliest = recent[0]!;
  if (recent.length < minPoints || latest.t - earliest.t < windowMs / 2) return null;

  // Hours relative to now: epoch milliseconds squared lose precision in the regression sums, and
  // this way the intercept is the fitted value at `now` and the slope is already per hour.
  const data = recent.map(({ t, v }) => [(t - nowMs) / HOUR_MS, v]);
  const fit = linearRegression(data);
  const r2 = rSquared(data, linearRegressionLine(fit));
  // A perfectly flat series has R² = 0/0 = NaN; `!(x >= y)` treats that as "no trend" too.
  if (!(fit.m > 0) || !(r2 >= minRSquared)) return null;

  const inMs = Math.max(0, Math.round(((threshold - fit.b) / fit.m) * HOUR_MS));
  if (inMs > horizonMs) return null;
  const when = inMs < 60_000 ? "within a minute" : `in ~${formatApproxDuration(inMs)}`;
  return {
    status: "crossing",
    crossesAt: new Date(nowMs + inMs),
    inMs,
    slopePerHour: fit.m,
    rSquared: r2,
    message: `crosses ${label} ${when}`,
  };
}
