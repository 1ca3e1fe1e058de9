import { AppError } from "@/lib/app-error";
import { normalSurvival } from "./normal-survival";
import { THEIL_SEN_MAX_POINTS } from "./theil-sen";

export interface MannKendallResult {
  /** Kendall's S = Σ_{i<j} sign(xⱼ − xᵢ) · sign(yⱼ − yᵢ) (concordant minus discordant pairs). */
  s: number;
  /** Var(S) under H₀ (no trend), corrected for ties in x and y. */
  varS: number;
  /** Kendall's tau-b, SciPy's `kendalltau(x, y).statistic`; NaN when x or y is constant. */
  tauB: number;
  /** S / √var(S), continuity-corrected when asked (then (S − sign S) / √var(S)). 0 when var(S) = 0. */
  z: number;
  /** Two-sided p-value, 2 · sf(|z|). */
  pValue: number;
}

/**
 * The Mann–Kendall trend test: does y tend to rise (or fall) with x? Rank-based, so it needs no
 * distribution and one outlier moves S by at most n − 1. The classic test (Mann 1945, Kendall 1975,
 * Hirsch et al. 1982) is Kendall's tau between time and value with var(S) from the normal
 * approximation and a continuity correction.
 *
 * Which reference this matches: var(S) is SciPy's own tie-corrected variance of `kendalltau`'s
 * asymptotic branch, var = (m(2n+5) − x₁ − y₁)/18 + 2·tₓ·tᵧ/m + x₀·y₀/(9m(n−2)) with m = n(n−1)
 * and tₓ = Σ t(t−1)/2, x₀ = Σ t(t−1)(t−2), x₁ = Σ t(t−1)(2t+5) over tie groups; with x = time (no
 * ties) it reduces to the textbook MK variance [n(n−1)(2n+5) − Σ t(t−1)(2t+5)]/18.
 * - `continuity: false` gives exactly `scipy.stats.kendalltau(x, y, method="asymptotic").pvalue`.
 * - `continuity: true` (default) is the classic MK p-value (pymannkendall's `original_test`, R's
 *   `Kendall::MannKendall`), slightly more conservative; SciPy has no function for it, so the
 *   fixtures compute it from the same S and var(S) after checking the uncorrected p against SciPy.
 * kendalltau's default method="auto" switches to an exact p for n ≤ 33 without ties; this does not,
 * because a 15 s memory series with ties (or not) should not change test halfway through a hold.
 *
 * O(n²) pairs, so at most THEIL_SEN_MAX_POINTS (500) points.
 */
export function mannKendall(x: readonly number[], y: readonly number[], options: { continuity?: boolean } = {}): MannKendallResult {
  const { continuity = true } = options;
  const n = x.length;
  if (y.length !== n) throw new AppError("internal", `Mann–Kendall needs as many x as y values (${n} vs ${y.length}).`);
  if (n < 3) throw new AppError("internal", `Mann–Kendall needs at least 3 points, got ${n}.`);
  if (n > THEIL_SEN_MAX_POINTS) throw new AppError("internal", `Mann–Kendall takes at most ${THEIL_SEN_MAX_POINTS} points, got ${n}.`);
  if (![...x, ...y].every(Number.isFinite)) throw new AppError("internal", "Mann–Kendall needs finite values.");

  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) s += Math.sign(x[j]! - x[i]!) * Math.sign(y[j]! - y[i]!);
  }
  const tx = tieStats(x);
  const ty = tieStats(y);
  const m = n * (n - 1);
  const varS = (m * (2 * n + 5) - tx.t1 - ty.t1) / 18 + (2 * tx.pairs * ty.pairs) / m + (tx.t0 * ty.t0) / (9 * m * (n - 2));
  const total = m / 2;
  const tauB = tx.pairs === total || ty.pairs === total ? Number.NaN : s / Math.sqrt(total - tx.pairs) / Math.sqrt(total - ty.pairs);
  if (!(varS > 0)) return { s, varS, tauB, z: 0, pValue: 1 };
  const z = (continuity ? s - Math.sign(s) : s) / Math.sqrt(varS);
  return { s, varS, tauB: Math.max(-1, Math.min(1, tauB)), z, pValue: Math.min(1, 2 * normalSurvival(Math.abs(z))) };
}

function tieStats(values: readonly number[]): { pairs: number; t0: number; t1: number } {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let pairs = 0;
  let t0 = 0;
  let t1 = 0;
  for (const t of counts.values()) {
    if (t < 2) continue;
    pairs += (t * (t - 1)) / 2;
    t0 += t * (t - 1) * (t - 2);
    t1 += t * (t - 1) * (2 * t + 5);
  }
  return { pairs, t0, t1 };
}
