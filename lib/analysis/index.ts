// Public surface of the canary analysis: pure, typed, no database, no HTTP, no clock. The plan
// engine (lib/server) reads samples, calls runCanaryAnalysis at each look, stores the result as
// evidence and acts on analysisAction. See docs/analysis.md.
export {
  ANALYSIS_GROUP_KEYS,
  ANALYSIS_GROUPS,
  ANALYSIS_METRIC_KEYS,
  ANALYSIS_METRICS,
  type AnalysisGroupKey,
  type AnalysisMetricDefinition,
  type AnalysisMetricKey,
  type ToleranceKind,
} from "./analysis-metrics";
export {
  metricSeriesFromSamples,
  type EvalScoreSample,
  type MetricPoint,
  type NodeSeries,
  type RawMetricSample,
} from "./metric-series-from-samples";
export {
  ANALYSIS_DEFAULTS,
  analysisConfigSchema,
  resolveAnalysisConfig,
  type AnalysisConfig,
  type AnalysisConfigInput,
  type AnalysisMetricOverride,
  type EffectiveAnalysisConfig,
} from "./analysis-config-schema";
export {
  analysePlanCohorts,
  FIRST_BEFORE_WIDEN_MS,
  REFERENCE_MIN_SPAN_MS,
  WARM_UP_MS,
  type AnalysePlanCohortsInput,
  type BaselineNodeSamples,
  type CanaryNodeSamples,
  type CohortSample,
} from "./analyse-plan-cohorts";
export { adjustToOwnHistory, referenceLevels, type ReferenceLevels } from "./adjust-to-own-history";
export { runCanaryAnalysis, type AnalysisResult, type RunCanaryAnalysisInput } from "./run-canary-analysis";
export { analysisAction, type AnalysisAction } from "./analysis-action";
export {
  scoreAnalysis,
  type AnalysisDecision,
  type AnalysisPhase,
  type AnalysisScore,
  type GroupScore,
  type ScoreAnalysisInput,
} from "./score-analysis";
export {
  judgeMetric,
  type CohortSummary,
  type EffectiveMetricSettings,
  type JudgeMetricInput,
  type MetricJudgement,
  type MetricVerdict,
} from "./judge-metric";
export {
  checkSafetyLimit,
  LIMIT_RECENT_SAMPLES,
  type CheckSafetyLimitInput,
  type LimitCheck,
  type LimitStatus,
} from "./check-safety-limit";
export {
  projectTrendCrossing,
  TREND_MIN_POINTS,
  TREND_MIN_SPAN_MINUTES,
  type ProjectTrendCrossingInput,
  type TrendResult,
  type TrendStatus,
} from "./project-trend-crossing";
export { mannWhitneyU, type MannWhitneyAlternative, type MannWhitneyResult } from "./mann-whitney-u";
export { mannKendall, type MannKendallResult } from "./mann-kendall";
export { theilSen, THEIL_SEN_MAX_POINTS, type TheilSenResult } from "./theil-sen";
