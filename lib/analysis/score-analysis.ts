import { ANALYSIS_GROUP_KEYS, ANALYSIS_GROUPS, ANALYSIS_METRICS, type AnalysisGroupKey } from "./analysis-metrics";
import type { LimitCheck } from "./check-safety-limit";
import { formatNumber } from "./format-metric-value";
import type { MetricJudgement } from "./judge-metric";
import type { TrendResult } from "./project-trend-crossing";

export type AnalysisPhase = "before_widen" | "end_of_hold" | "watch";
export type AnalysisDecision = "pass" | "marginal" | "inconclusive" | "fail";

export interface GroupScore {
  group: AnalysisGroupKey;
  weight: number;
  /** 100 · passed / judged; null when no metric of the group could be judged (the group then drops out). */
  score: number | null;
  passed: number;
  failed: number;
  inconclusive: number;
}

export interface AnalysisScore {
  /** 0–100, two decimals; null when nothing could be judged (and always in the watch). */
  score: number | null;
  groups: GroupScore[];
  decision: AnalysisDecision;
  /** Why, the deciding reasons first, then notes (rising trends, optional metrics without data). */
  reasons: string[];
}

export interface ScoreAnalysisInput {
  phase: AnalysisPhase;
  judgements: readonly MetricJudgement[];
  limits: readonly LimitCheck[];
  trends: readonly TrendResult[];
  thresholds: { pass: number; marginal: number };
}

/**
 * From per-metric verdicts to one decision, Kayenta's weighted-sum scorer with its sharp edges
 * made explicit:
 * - Score: per group 100 · passed / (passed + failed), critical counting as failed; the score is
 *   the weight-averaged group score over the groups that have a judged metric (weights of the
 *   others are redistributed, where Kayenta counts an empty group as 100 — a pass on no data).
 *   Inconclusive metrics are not scored.
 * - Decision, first rule that applies:
 *   1. fail: a critical metric, a safety-limit breach, or a trend projected across its limit
 *      within the horizon. No score can outvote these.
 *   2. (watch) inconclusive if a limit check got broken data (NaN, provider error), else pass —
 *      which in the watch means only "nothing tripped", never "widen".
 *   3. inconclusive: no metric could be judged at all.
 *   4. fail: score below the marginal threshold.
 *   5. inconclusive: a mustHaveData metric is inconclusive (no, too few or broken samples), or a
 *      limit check got broken data. Missing evidence pauses; it never passes.
 *   6. marginal: score below the pass threshold.
 *   7. pass.
 * Inconclusive metrics without mustHaveData only drop out of the score, with a note.
 */
export function scoreAnalysis(input: ScoreAnalysisInput): AnalysisScore {
  const { phase, judgements, limits, trends, thresholds } = input;
  const risingNotes = trends.filter((trend) => trend.status === "rising").map((trend) => trend.message);
  const failures = [
    ...judgements
      .filter((judgement) => judgement.verdict === "critical")
      .flatMap((judgement) => judgement.reasons.map((reason) => `Critical: ${reason}`)),
    ...limits.filter((check) => check.status === "breached").flatMap((check) => check.reasons),
    ...trends.filter((trend) => trend.status === "fail").map((trend) => trend.message),
  ];
  const brokenLimits = limits.filter((check) => check.status === "inconclusive").flatMap((check) => check.reasons);
  const groups = groupScores(judgements);
  const score = phase === "watch" ? null : weightedScore(groups);
  const result = (decision: AnalysisDecision, reasons: string[]): AnalysisScore => ({ score, groups, decision, reasons });

  if (failures.length > 0) return result("fail", [...failures, ...failingReasons(judgements)]);
  if (phase === "watch") {
    if (brokenLimits.length > 0) return result("inconclusive", brokenLimits);
    return result("pass", ["No safety limit breached and no trend projected across its limit.", ...risingNotes]);
  }

  const blockers = [
    ...judgements
      .filter((judgement) => judgement.verdict === "inconclusive" && judgement.mustHaveData)
      .flatMap((judgement) => judgement.reasons),
    ...brokenLimits,
  ];
  const optional = judgements
    .filter((judgement) => judgement.verdict === "inconclusive" && !judgement.mustHaveData)
    .flatMap((judgement) => judgement.reasons.map((reason) => `Not scored: ${reason}`));
  const notes = [...risingNotes, ...optional];
  if (score === null) return result("inconclusive", ["No metric could be judged.", ...blockers, ...notes]);
  const scoreText = `Score ${formatNumber(score)}`;
  if (score < thresholds.marginal) {
    return result("fail", [
      `${scoreText} is below the marginal threshold of ${thresholds.marginal}.`,
      ...failingReasons(judgements),
      ...notes,
    ]);
  }
  if (blockers.length > 0) return result("inconclusive", [...blockers, ...failingReasons(judgements), ...notes]);
  if (score < thresholds.pass) {
    return result("marginal", [`${scoreText} is below the pass threshold of ${thresholds.pass}.`, ...failingReasons(judgements), ...notes]);
  }
  return result("pass", [`${scoreText} meets the pass threshold of ${thresholds.pass}.`, ...failingReasons(judgements), ...notes]);
}

function failingReasons(judgements: readonly MetricJudgement[]): string[] {
  return judgements.filter((judgement) => judgement.verdict === "fail").flatMap((judgement) => judgement.reasons);
}

function groupScores(judgements: readonly MetricJudgement[]): GroupScore[] {
  return ANALYSIS_GROUP_KEYS.map((group) => {
    const members = judgements.filter((judgement) => ANALYSIS_METRICS[judgement.key].group === group);
    const passed = members.filter((judgement) => judgement.verdict === "pass").length;
    const failed = members.filter((judgement) => judgement.verdict === "fail" || judgement.verdict === "critical").length;
    const inconclusive = members.length - passed - failed;
    const judged = passed + failed;
    return {
      group,
      weight: ANALYSIS_GROUPS[group].weight,
      score: judged > 0 ? (100 * passed) / judged : null,
      passed,
      failed,
      inconclusive,
    };
  }).filter((group) => group.passed + group.failed + group.inconclusive > 0);
}

function weightedScore(groups: readonly GroupScore[]): number | null {
  let weighted = 0;
  let weights = 0;
  for (const group of groups) {
    if (group.score === null) continue;
    weighted += group.score * group.weight;
    weights += group.weight;
  }
  return weights > 0 ? Math.round((100 * weighted) / weights) / 100 : null;
}
