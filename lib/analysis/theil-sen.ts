import { median } from "simple-statistics";
import { AppError } from "@/lib/app-error";
import { normalQuantile } from "./normal-quantile";

/** Above this many points the O(n²) pairwise slopes (~125,000 at 500) get slow; callers keep the latest points. */
export const THEIL_SEN_MAX_POINTS = 500;

export interface TheilSenResult {
  /** Median of the pairwise slopes. */
  slope: number;
  /** median(y) − slope · median(x) (SciPy's method="separate"): the fitted value at x = 0. */
  intercept: number;
  /** Confidence bounds of the slope; NaN when there are too few pairs for the interval. */
  lowSlope: number;
  highSlope: number;
  /** Number of pairs with distinct x, N in Sen (1968). */
  pairs: number;
}

/**
 * Theil–Sen line with Sen's (1968) confidence interval for the slope, exactly
 * `scipy.stats.theilslopes(y, x, alpha=confidence, method="separate")`. No maintained JS statistics
 * library has it (simple-statistics has least squares only), and it is twenty lines.
 *
 * Why not least squares: one GC pause or scrape hiccup drags an OLS line, and R² is tiny whenever
 * the noise is large next to the rise, which is exactly a slow leak in its first minutes. The median
 * of slopes tolerates ~29 % outliers and its interval needs no normality.
 *
 * Interval (Sen eq. 2.6): σ² = [n(n−1)(2n+5) − Σₓ t(t−1)(2t+5) − Σᵧ t(t−1)(2t+5)] / 18 over the
 * tie groups in x and in y; with z = Φ⁻¹((1−confidence)/2) (negative) and the N sorted slopes,
 * high = slopes[min(round((N − zσ)/2), N−1)], low = slopes[max(round((N + zσ)/2) − 1, 0)] (0-based).
 * NumPy's round is half-to-even; (N ± zσ)/2 is irrational in practice, so Math.round agrees.
 */
export function theilSen(x: readonly number[], y: readonly number[], options: { confidence?: number } = {}): TheilSenResult {
  const { confidence = 0.95 } = options;
  if (x.length !== y.length) throw new AppError("internal", `Theil–Sen needs as many x as y values (${x.length} vs ${y.length}).`);
  if (x.length > THEIL_SEN_MAX_POINTS)
    throw new AppError("internal", `Theil–Sen takes at most ${THEIL_SEN_MAX_POINTS} points, got ${x.length}.`);
  if (![...x, ...y].every(Number.isFinite)) throw new AppError("internal", "Theil–Sen needs finite values.");
  if (!(confidence > 0 && confidence < 1)) throw new AppError("internal", `confidence must be in (0, 1), got ${confidence}.`);

  // A typed array sorts numerically in native code: ~10× faster than sorting boxed numbers, which
  // matters because the watch refits every node's trend every minute.
  const buffer = new Float64Array((x.length * (x.length - 1)) / 2);
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      // Each unordered pair once; (yⱼ − yᵢ)/(xⱼ − xᵢ) is bit-for-bit SciPy's slope for its dx > 0 order.
      const dx = x[j]! - x[i]!;
      if (dx !== 0) buffer[total++] = (y[j]! - y[i]!) / dx;
    }
  }
  if (total === 0) throw new AppError("internal", "Theil–Sen needs at least two distinct x values.");
  const slopes = buffer.subarray(0, total).sort();
  const middle = total >> 1;
  const slope = total % 2 === 1 ? slopes[middle]! : (slopes[middle - 1]! + slopes[middle]!) / 2;
  const intercept = median([...y]) - slope * median([...x]);

  const level = confidence > 0.5 ? 1 - confidence : confidence;
  const z = normalQuantile(level / 2);
  const n = y.length;
  const sigma = Math.sqrt((n * (n - 1) * (2 * n + 5) - tieSum(x) - tieSum(y)) / 18);
  const upper = Math.min(Math.round((total - z * sigma) / 2), total - 1);
  const lower = Math.max(Math.round((total + z * sigma) / 2) - 1, 0);
  return { slope, intercept, lowSlope: slopes[lower] ?? Number.NaN, highSlope: slopes[upper] ?? Number.NaN, pairs: total };
}

/** Σ t(t−1)(2t+5) over groups of equal values: the tie term of Kendall's S variance. */
function tieSum(values: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let sum = 0;
  for (const t of counts.values()) sum += t * (t - 1) * (2 * t + 5);
  return sum;
}
