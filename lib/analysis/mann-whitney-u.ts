import { wilcoxonRankSum } from "simple-statistics";
import { AppError } from "@/lib/app-error";
import { normalSurvival } from "./normal-survival";

export type MannWhitneyAlternative = "two-sided" | "greater" | "less";

export interface MannWhitneyResult {
  /** U of the first sample (SciPy's `statistic`): the number of pairs (x, y) with x > y, ties counting ½. */
  u: number;
  /** Standardised statistic for the chosen alternative, continuity-corrected (−∞/∞ never; 0 when σ = 0). */
  z: number;
  pValue: number;
}

/**
 * Mann–Whitney U with the normal approximation, tie correction and continuity correction: exactly
 * `scipy.stats.mannwhitneyu(x, y, alternative, method="asymptotic", use_continuity=True)`.
 *
 * The same U/σ as `compareCohorts` in lib/readiness (which only offers the two-sided test and keeps
 * its helper private); the one-sided alternatives are what the canary judge needs, because it only
 * ever acts on a shift in the bad direction. With U₁ = W − n₁(n₁+1)/2 (W the rank sum of x),
 * μ = n₁n₂/2, σ² = n₁n₂/12 · ((n+1) − Σ(t³−t)/(n(n−1))):
 *   greater:   z = (U₁ − μ − ½)/σ,            p = sf(z)
 *   less:      z = (U₂ − μ − ½)/σ, U₂ = n₁n₂ − U₁, p = sf(z)
 *   two-sided: z = (max(U₁,U₂) − μ − ½)/σ,   p = min(1, 2·sf(z))
 * σ = 0 (every value tied) gives p = 1, as SciPy's sf(−∞) does.
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[], alternative: MannWhitneyAlternative): MannWhitneyResult {
  if (x.length === 0 || y.length === 0) throw new AppError("internal", "Mann–Whitney U needs at least one value in each sample.");
  if (![...x, ...y].every(Number.isFinite)) throw new AppError("internal", "Mann–Whitney U needs finite values.");
  const n1 = x.length;
  const n2 = y.length;
  const n = n1 + n2;
  const u1 = wilcoxonRankSum([...x], [...y]) - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const counts = new Map<number, number>();
  for (const value of [...x, ...y]) counts.set(value, (counts.get(value) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of counts.values()) tieTerm += t ** 3 - t;
  const variance = n > 1 ? ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))) : 0;
  // Rounding can leave a hair above 0 when every value is tied; that is σ = 0 in exact arithmetic.
  if (!(variance > 1e-12 * n1 * n2)) return { u: u1, z: 0, pValue: 1 };
  const u = alternative === "greater" ? u1 : alternative === "less" ? u2 : Math.max(u1, u2);
  const z = (u - (n1 * n2) / 2 - 0.5) / Math.sqrt(variance);
  const p = normalSurvival(z) * (alternative === "two-sided" ? 2 : 1);
  return { u: u1, z, pValue: Math.min(1, p) };
}
