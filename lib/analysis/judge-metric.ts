import { median } from "simple-statistics";
import { ANALYSIS_METRICS, type AnalysisMetricKey, type ToleranceKind } from "./analysis-metrics";
import { formatChange, formatMetricValue, formatPValue } from "./format-metric-value";
import { mannWhitneyU } from "./mann-whitney-u";
import type { MetricPoint } from "./metric-series-from-samples";

export type MetricVerdict = "pass" | "fail" | "critical" | "inconclusive";

/** A metric's settings after plan overrides; see resolveAnalysisConfig. */
export interface EffectiveMetricSettings {
  allowedChange: number;
  criticalChange: number;
  mustHaveData: boolean;
  limit: number | null;
}

export interface CohortSummary {
  /** Finite samples (all nodes of the cohort pooled). */
  n: number;
  median: number | null;
  /** What the effect compares: the median, or the pooled rate for counter-derived metrics. */
  center: number | null;
}

export interface MetricJudgement {
  key: AnalysisMetricKey;
  verdict: MetricVerdict;
  canary: CohortSummary;
  baseline: CohortSummary;
  tolerance: ToleranceKind;
  /** canary vs baseline centre, signed (positive: canary higher): a fraction (0.27 = +27 %) or a difference in the unit. */
  effect: number | null;
  /** The effect measured in the bad direction (positive: worse), compared with `allowed` and `critical`. */
  badChange: number | null;
  /** One-sided Mann–Whitney p-value for "canary is worse" (greater when an increase is bad, less otherwise). */
  pValue: number | null;
  /** Mann–Whitney U of the canary sample. */
  u: number | null;
  allowed: number;
  critical: number;
  mustHaveData: boolean;
  reasons: string[];
}

export interface JudgeMetricInput {
  key: AnalysisMetricKey;
  /** The canary cohort's samples over the window, all canary nodes pooled. */
  canary: readonly MetricPoint[];
  /** The baseline cohort's samples over the same window. */
  baseline: readonly MetricPoint[];
  settings: EffectiveMetricSettings;
  /** Significance level of the one-sided test. */
  alpha: number;
  /** Provider or scrape errors that concern this metric; any makes it inconclusive. */
  problems?: readonly string[];
  /** Why the cohorts cannot be compared fairly at all (too little history to adjust each host to its own); makes it inconclusive. */
  notComparable?: string;
}

/**
 * Canary vs baseline for one metric, Kayenta's NetflixACAJudge reduced to what a fleet of a few
 * nodes supports. A metric fails only when the canary is both
 *   significantly worse: one-sided Mann–Whitney U in the metric's bad direction, p < α, and
 *   worse by more than its allowed change: badChange > allowed (equal passes, like every limit),
 * and is critical when, in addition, badChange > critical. A significant but small change passes
 * (the +0.45 % memory that used to "fail"); a large change that is not significant passes too — it
 * may be noise, and the trend watch and the next look keep watching.
 *
 * One-sided, not two-sided: the judge only ever acts on a shift in the bad direction. A two-sided
 * test at α spends half its false alarms on improvements that are then ignored, so it is really a
 * one-sided test at α/2; the one-sided test at α has the same false-fail rate α with more power.
 *
 * Inconclusive (never pass): a provider error, any non-finite sample ("the source is broken" — not
 * filtered away), or fewer than the metric's minSamples in either cohort (no baseline at all
 * included). Whether that blocks the decision is mustHaveData, decided by scoreAnalysis.
 *
 * Zero baseline, judged explicitly: an absolute metric (error rate in pp, queue depth, eval score)
 * compares the difference, so 0 % vs 3 % errors is +3 pp like any other baseline. A relative metric
 * whose baseline centre is 0 has no ratio: if the canary is not worse (also 0, or better) it
 * passes; if it is worse the metric is inconclusive with that reason, because "+∞ %" is neither
 * a pass nor, for a p95 of 0 ms, a credible fail.
 */
export function judgeMetric(input: JudgeMetricInput): MetricJudgement {
  const metric = ANALYSIS_METRICS[input.key];
  const { settings, alpha } = input;
  const label = metric.label;
  const base = {
    key: input.key,
    tolerance: metric.tolerance,
    allowed: settings.allowedChange,
    critical: settings.criticalChange,
    mustHaveData: settings.mustHaveData,
  };
  const empty = { n: 0, median: null, center: null };
  const inconclusive = (reasons: string[], canary: CohortSummary = empty, baseline: CohortSummary = empty): MetricJudgement => ({
    ...base,
    verdict: "inconclusive",
    canary,
    baseline,
    effect: null,
    badChange: null,
    pValue: null,
    u: null,
    reasons,
  });

  const problems = input.problems ?? [];
  if (problems.length > 0) return inconclusive(problems.map((problem) => `${label}: not judged, the data source failed: ${problem}`));
  if (input.notComparable) return inconclusive([`${label}: not judged, ${input.notComparable}`]);
  const broken = [...brokenReason(label, "canary", input.canary), ...brokenReason(label, "baseline", input.baseline)];
  if (broken.length > 0) return inconclusive(broken);

  const canary = summarize(input.canary, metric.center);
  const baseline = summarize(input.baseline, metric.center);
  const few: string[] = [];
  if (canary.n < metric.minSamples) few.push(countReason(label, "canary", canary.n, metric.minSamples));
  if (baseline.n < metric.minSamples) {
    few.push(
      baseline.n === 0
        ? `${label}: no baseline samples, so there is nothing to compare the canary with.`
        : countReason(label, "baseline", baseline.n, metric.minSamples),
    );
  }
  if (few.length > 0 || canary.center === null || baseline.center === null) return inconclusive(few, canary, baseline);

  const sign = metric.badDirection === "increase" ? 1 : -1;
  const test = mannWhitneyU(
    input.canary.map((point) => point.v),
    input.baseline.map((point) => point.v),
    metric.badDirection === "increase" ? "greater" : "less",
  );
  const measured = { canary, baseline, pValue: test.pValue, u: test.u };
  const versus = `canary ${formatMetricValue(metric, canary.center)} vs baseline ${formatMetricValue(metric, baseline.center)}`;

  let effect: number;
  if (metric.tolerance === "absolute") {
    effect = canary.center - baseline.center;
  } else if (baseline.center !== 0) {
    effect = (canary.center - baseline.center) / Math.abs(baseline.center);
  } else if (sign * canary.center <= 0) {
    return {
      ...base,
      ...measured,
      verdict: "pass",
      effect: null,
      badChange: null,
      reasons: [`${label}: ${versus}: the baseline is 0 and the canary is not worse.`],
    };
  } else {
    return {
      ...base,
      ...measured,
      verdict: "inconclusive",
      effect: null,
      badChange: null,
      reasons: [`${label}: ${versus}: the baseline is 0, so a relative change is undefined; check the baseline cohort and judge by hand.`],
    };
  }
  const badChange = sign * effect;
  const change = `${versus} (${formatChange(metric, metric.tolerance, effect)})`;
  const significance = `${formatPValue(test.pValue)}, α = ${alpha}`;
  const allowedText = formatChange(metric, metric.tolerance, sign * settings.allowedChange);
  const criticalText = formatChange(metric, metric.tolerance, sign * settings.criticalChange);
  const worse = metric.badDirection === "increase" ? "higher" : "lower";

  let verdict: MetricVerdict;
  let reason: string;
  if (badChange <= 0) {
    verdict = "pass";
    reason = `${label}: ${change}: not worse.`;
  } else if (!(test.pValue < alpha)) {
    verdict = "pass";
    reason = `${label}: ${change}: not significantly ${worse} (${significance}).`;
  } else if (badChange > settings.criticalChange) {
    verdict = "critical";
    reason = `${label}: ${change}: significantly ${worse} (${significance}) and beyond the critical ${criticalText}.`;
  } else if (badChange > settings.allowedChange) {
    verdict = "fail";
    reason = `${label}: ${change}: significantly ${worse} (${significance}) and beyond the allowed ${allowedText}.`;
  } else {
    verdict = "pass";
    reason = `${label}: ${change}: significantly ${worse} (${significance}) but within the allowed ${allowedText}.`;
  }
  return { ...base, ...measured, verdict, effect, badChange, reasons: [reason] };
}

function summarize(points: readonly MetricPoint[], center: "median" | "pooled"): CohortSummary {
  if (points.length === 0) return { n: 0, median: null, center: null };
  const middle = median(points.map((point) => point.v));
  if (center === "median") return { n: points.length, median: middle, center: middle };
  let weighted = 0;
  let weights = 0;
  for (const point of points) {
    const w = point.w ?? 1;
    weighted += point.v * w;
    weights += w;
  }
  return { n: points.length, median: middle, center: weights > 0 ? weighted / weights : middle };
}

function brokenReason(label: string, cohort: "canary" | "baseline", points: readonly MetricPoint[]): string[] {
  const bad = points.filter(
    (point) => !Number.isFinite(point.v) || !Number.isFinite(point.t) || (point.w !== undefined && !Number.isFinite(point.w)),
  );
  if (bad.length === 0) return [];
  return [
    `${label}: ${bad.length} ${cohort} sample${bad.length === 1 ? " is" : "s are"} NaN or infinite, so the source is broken; not judged.`,
  ];
}

function countReason(label: string, cohort: "canary" | "baseline", n: number, need: number): string {
  return `${label}: ${n === 0 ? "no" : `only ${n}`} ${cohort} sample${n === 1 ? "" : "s"} (at least ${need} needed).`;
}
