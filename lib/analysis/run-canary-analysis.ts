import { AppError } from "@/lib/app-error";
import type { EffectiveAnalysisConfig } from "./analysis-config-schema";
import { ANALYSIS_METRIC_KEYS, ANALYSIS_METRICS, type AnalysisMetricKey } from "./analysis-metrics";
import { checkSafetyLimit, type LimitCheck } from "./check-safety-limit";
import { judgeMetric, type MetricJudgement } from "./judge-metric";
import type { MetricPoint, NodeSeries } from "./metric-series-from-samples";
import { projectTrendCrossing, type TrendResult } from "./project-trend-crossing";
import { scoreAnalysis, type AnalysisDecision, type AnalysisPhase, type GroupScore } from "./score-analysis";

const MINUTE_MS = 60_000;

export interface RunCanaryAnalysisInput {
  /** The upgraded nodes under analysis, one series per node. */
  canary: readonly NodeSeries[];
  /** Stable nodes over the same period; may be empty in the watch. */
  baseline: readonly NodeSeries[];
  /** From resolveAnalysisConfig. */
  config: EffectiveAnalysisConfig;
  now: Date;
  /** How far ahead a projected crossing counts, e.g. the rest of the current and the next stage's hold; raised to config.minHorizonMinutes. */
  horizonMs: number;
  /** before_widen / end_of_hold: the formal judge and the safety net; watch: the safety net only. */
  phase: AnalysisPhase;
  /**
   * The cohorts as the canary-vs-baseline judgement compares them, when they differ from the raw
   * series: each node adjusted to its own history (adjustToOwnHistory). Limits and trends always
   * read the canary's raw series: a safety limit is about the value itself.
   */
  compare?: {
    canary: readonly NodeSeries[];
    baseline: readonly NodeSeries[];
    basis: string;
    /** Set when no fair comparison exists (judgeMetric's notComparable): every metric is inconclusive with it. */
    notComparable?: string;
  };
}

/** One analysis, as stored in Postgres and the audit log: plain JSON (ISO dates, no Infinity, no undefined). */
export interface AnalysisResult {
  phase: AnalysisPhase;
  at: string;
  window: { from: string; to: string };
  horizonMinutes: number;
  canaryNodeIds: string[];
  baselineNodeIds: string[];
  /** The settings it was judged with, so old evidence still reads right after defaults change. */
  config: EffectiveAnalysisConfig;
  /** What the canary-vs-baseline judgement compared: "as measured", or the adjustment applied. */
  comparisonBasis: string;
  /** Per-metric canary-vs-baseline judgements, registry order; empty in the watch. */
  metrics: MetricJudgement[];
  /** Absolute safety limits on the canary. */
  limits: LimitCheck[];
  /** Canary-only trends, per trend metric and canary node. */
  trends: TrendResult[];
  score: number | null;
  groups: GroupScore[];
  decision: AnalysisDecision;
  reasons: string[];
  /** One line for the timeline: "Fail: memory +1.9%/min, crosses 75% in ~22 min (95% CI 15–31 min) on canary-1." */
  summary: string;
}

/**
 * The one entry point of the canary analysis: pure, deterministic for its input, no I/O. Both
 * cohorts are cut to the same window, the last `config.windowMinutes` up to `now`.
 * - before_widen and end_of_hold run the formal look: every metric judged canary vs baseline,
 *   plus the safety net; these are the few fixed points whose α adds up per plan (docs/analysis.md).
 * - watch runs only the safety net between looks: absolute limits and the trend projection, at
 *   the stricter `watchAlpha` because it re-tests every minute (formal looks use `trendAlpha`). It can fail a canary or pause on broken data; it never grants a widen.
 * Programming errors (a node in both cohorts, a bad horizon) throw; bad data never does, it is
 * reported as inconclusive in the result.
 */
export function runCanaryAnalysis(input: RunCanaryAnalysisInput): AnalysisResult {
  const { config, now, phase } = input;
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) throw new AppError("internal", "The analysis needs a valid `now`.");
  if (!(input.horizonMs >= 0) || !Number.isFinite(input.horizonMs)) {
    throw new AppError("internal", `horizonMs must be a finite duration, got ${input.horizonMs}.`);
  }
  const canaryIds = input.canary.map((node) => node.nodeId);
  const baselineIds = input.baseline.map((node) => node.nodeId);
  const all = [...canaryIds, ...baselineIds];
  if (new Set(all).size !== all.length) throw new AppError("internal", "A node appears twice in the analysis cohorts.");

  const fromMs = nowMs - config.windowMinutes * MINUTE_MS;
  const horizonMs = Math.max(input.horizonMs, config.minHorizonMinutes * MINUTE_MS);
  // `!(t > now) && !(t < from)` keeps a NaN time, so the judge reports it instead of it vanishing.
  const inWindow = (points: readonly MetricPoint[] | undefined) =>
    (points ?? []).filter((point) => !(point.t > nowMs) && !(point.t < fromMs));
  const problemsOf = (node: NodeSeries, key: AnalysisMetricKey) =>
    (node.errors ?? [])
      .filter((error) => error.metric === undefined || error.metric === key)
      .map((error) => `${node.nodeId}: ${error.message}`);

  const trendAlpha = phase === "watch" ? config.watchAlpha : config.trendAlpha;
  const metrics: MetricJudgement[] = [];
  const limits: LimitCheck[] = [];
  const trends: TrendResult[] = [];
  for (const key of ANALYSIS_METRIC_KEYS) {
    const settings = config.metrics[key];
    if (phase !== "watch") {
      metrics.push(
        judgeMetric({
          key,
          canary: (input.compare?.canary ?? input.canary).flatMap((node) => inWindow(node.series[key])),
          baseline: (input.compare?.baseline ?? input.baseline).flatMap((node) => inWindow(node.series[key])),
          settings,
          alpha: config.alpha,
          problems: [...input.canary, ...input.baseline].flatMap((node) => problemsOf(node, key)),
          ...(input.compare?.notComparable ? { notComparable: input.compare.notComparable } : {}),
        }),
      );
    }
    if (settings.limit !== null) {
      limits.push(
        checkSafetyLimit({
          key,
          limit: settings.limit,
          nodes: input.canary.map((node) => ({ nodeId: node.nodeId, points: inWindow(node.series[key]), problems: problemsOf(node, key) })),
        }),
      );
    }
    if (ANALYSIS_METRICS[key].trend) {
      for (const node of input.canary) {
        trends.push(
          projectTrendCrossing({
            key,
            nodeId: node.nodeId,
            points: inWindow(node.series[key]),
            limit: settings.limit,
            now,
            horizonMs,
            alpha: trendAlpha,
          }),
        );
      }
    }
  }

  const scored = scoreAnalysis({ phase, judgements: metrics, limits, trends, thresholds: config.thresholds });
  return {
    phase,
    at: now.toISOString(),
    window: { from: new Date(fromMs).toISOString(), to: now.toISOString() },
    horizonMinutes: horizonMs / MINUTE_MS,
    canaryNodeIds: canaryIds,
    baselineNodeIds: baselineIds,
    config,
    comparisonBasis: input.compare?.basis ?? "as measured",
    metrics,
    limits,
    trends,
    ...scored,
    summary: summarize(scored.decision, scored.score, scored.reasons),
  };
}

const DECISION_LABEL: Record<AnalysisDecision, string> = { pass: "Pass", marginal: "Marginal", inconclusive: "Inconclusive", fail: "Fail" };

function summarize(decision: AnalysisDecision, score: number | null, reasons: readonly string[]): string {
  const first = reasons[0] ?? "";
  const more = reasons.length > 1 ? ` (+${reasons.length - 1} more)` : "";
  return `${DECISION_LABEL[decision]}${score === null ? "" : ` (score ${score})`}: ${first}${more}`;
}
