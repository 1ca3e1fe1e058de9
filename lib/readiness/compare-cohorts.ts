import { errorFunction, median, wilcoxonRankSum } from "simple-statistics";
import { AppError } from "@/lib/app-error";

export type MetricDirection = "higher_is_worse" | "lower_is_worse";
export type CohortVerdictKind = "pass" | "fail" | "inconclusive";

export interface CompareCohortsInput {
  /** Shown in reasons, e.g. "p95Ms". */
  metric: string;
  direction: MetricDirection;
  /** Samples from the canary nodes over the comparison window (one per node per scrape). */
  canary: readonly number[];
  /** Samples from the stable nodes over the same window. */
  stable: readonly number[];
  /** The plan's absolute limit for this metric, compared with the canary median. */
  threshold?: number;
  /** Significance level of the two-sided test. Default 0.05. */
  alpha?: number;
  /** Fewest samples per cohort for a verdict. Default 8. */
  minSamples?: number;
}

export interface CohortVerdict {
  metric: string;
  verdict: CohortVerdictKind;
  /** Mann-Whitney U of the canary sample (scipy's `statistic` for x = canary); null without samples on both sides. */
  u: number | null;
  /** Tie- and continuity-corrected z; positive when canary values tend to be higher. */
  z: number | null;
  /** Two-sided p-value from the normal approximation. */
  pValue: number | null;
  canaryMedian: number | null;
  stableMedian: number | null;
  /** (canary median − stable median) / |stable median|; null when the stable median is 0 or missing. */
  effect: number | null;
  reasons: string[];
}

/**
 * Canary vs stable guardrail for one metric, the way Kayenta's Mann-Whitney judge does it: are
 * the canary's samples shifted relative to the stable ones, and in the bad direction? A rank
 * test, because latency and memory samples are skewed and outlier-prone, which would make a
 * t-test's mean-based answer swing on one slow request.
 *
 * U = W − n₁(n₁+1)/2 with W the canary's rank sum (`wilcoxonRankSum`); under H₀
 * μ = n₁n₂/2 and σ² = n₁n₂/12 · ((n+1) − Σ(t³−t)/(n(n−1))) (t = size of each tie group);
 * z = sign(U−μ) · max(0, |U−μ| − ½) / σ; p = 2(1 − Φ(|z|)) = 1 − erf(|z|/√2).
 * These are exactly scipy.stats.mannwhitneyu(method="asymptotic", use_continuity=True).
 *
 * Φ comes from simple-statistics' `errorFunction` rather than `cumulativeStdNormalProbability`:
 * the latter is a lookup table that rounds z to 0.01 and stops at z = 3.09, so its p-values are
 * quantised (off by up to ~0.004 near α = 0.05) and floor at 0.002.
 *
 * Verdict: fail when the canary median breaks `threshold` (needs `minSamples` canary samples) or
 * when p < α and the canary median is worse than the stable median; otherwise inconclusive when
 * either cohort has fewer than `minSamples`; otherwise pass. Equal medians never fail the
 * test: a shift only in the tails is not what this guardrail is for.
 */
export function compareCohorts(input: CompareCohortsInput): CohortVerdict {
  const { metric, direction, threshold, alpha = 0.05, minSamples = 8 } = input;
  if (!(alpha > 0 && alpha < 1)) throw new AppError("internal", `alpha must be in (0, 1), got ${alpha}.`);
  if (!Number.isInteger(minSamples) || minSamples < 1) {
    throw new AppError("internal", `minSamples must be a positive integer, got ${minSamples}.`);
  }
  if (threshold !== undefined && !Number.isFinite(threshold)) {
    throw new AppError("internal", `threshold must be a finite number, got ${threshold}.`);
  }
  const reasons: string[] = [];
  const canary = input.canary.filter(Number.isFinite);
  const stable = input.stable.filter(Number.isFinite);
  const dropped = input.canary.length - canary.length + (input.stable.length - stable.length);
  if (dropped > 0) reasons.push(`${metric}: ignored ${dropped} non-finite sample${dropped === 1 ? "" : "s"}.`);

  const canaryMedian = canary.length > 0 ? median(canary) : null;
  const stableMedian = stable.length > 0 ? median(stable) : null;
  const effect =
    canaryMedian !== null && stableMedian !== null && stableMedian !== 0 ? (canaryMedian - stableMedian) / Math.abs(stableMedian) : null;
  const test = canary.length > 0 && stable.length > 0 ? mannWhitney(canary, stable) : null;
  const result = { metric, u: test?.u ?? null, z: test?.z ?? null, pValue: test?.pValue ?? null, canaryMedian, stableMedian, effect };

  const worse = (a: number, b: number) => (direction === "higher_is_worse" ? a > b : a < b);
  let fail = false;
  if (threshold !== undefined && canaryMedian !== null && canary.length >= minSamples && worse(canaryMedian, threshold)) {
    fail = true;
    reasons.push(
      `${metric}: canary median ${fmt(canaryMedian)} is ${direction === "higher_is_worse" ? "above the maximum" : "below the minimum"} of ${fmt(threshold)}.`,
    );
  }
  const enough = canary.length >= minSamples && stable.length >= minSamples;
  if (enough && test !== null && canaryMedian !== null && stableMedian !== null) {
    const shift = `canary median ${fmt(canaryMedian)} vs stable ${fmt(stableMedian)}${effect === null ? "" : ` (${signedPercent(effect)})`}`;
    if (test.pValue < alpha && worse(canaryMedian, stableMedian)) {
      fail = true;
      reasons.push(`${metric}: canary is significantly worse: ${shift}, ${pText(test.pValue)} (α = ${alpha}).`);
    } else if (test.pValue < alpha) {
      reasons.push(`${metric}: canary differs significantly but not for the worse: ${shift}, ${pText(test.pValue)} (α = ${alpha}).`);
    } else {
      reasons.push(`${metric}: no significant difference: ${shift}, ${pText(test.pValue)} (α = ${alpha}).`);
    }
  }
  if (!enough) {
    reasons.push(`${metric}: too few samples to compare (canary ${canary.length}, stable ${stable.length}; need ${minSamples} each).`);
  }
  const verdict: CohortVerdictKind = fail ? "fail" : enough ? "pass" : "inconclusive";
  return { ...result, verdict, reasons };
}

function mannWhitney(canary: number[], stable: number[]): { u: number; z: number; pValue: number } {
  const n1 = canary.length;
  const n2 = stable.length;
  const n = n1 + n2;
  const u = wilcoxonRankSum(canary, stable) - (n1 * (n1 + 1)) / 2;
  const mu = (n1 * n2) / 2;
  // Ties shrink the variance of U; without this correction heavily tied metrics (queue depth,
  // integer percentages) would look less significant than they are.
  const tieCounts = new Map<number, number>();
  for (const value of [...canary, ...stable]) tieCounts.set(value, (tieCounts.get(value) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of tieCounts.values()) tieTerm += t ** 3 - t;
  const variance = n > 1 ? ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))) : 0;
  if (!(variance > 0)) return { u, z: 0, pValue: 1 };
  const diff = u - mu;
  const z = (Math.sign(diff) * Math.max(0, Math.abs(diff) - 0.5)) / Math.sqrt(variance);
  return { u, z, pValue: Math.min(1, 1 - errorFunction(Math.abs(z) / Math.SQRT2)) };
}

function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

function pText(p: number): string {
  return p < 0.001 ? "p < 0.001" : `p = ${p.toFixed(3)}`;
}

function signedPercent(effect: number): string {
  const percent = Number((effect * 100).toPrecision(3));
  return `${percent >= 0 ? "+" : ""}${percent}%`;
}
