/**
 * Every metric the canary analysis knows, as data. Adding a metric is one row here (plus, when it
 * has a new raw source, one derivation in metric-series-from-samples.ts): the judge, the trend
 * watch, the score, the config schema and the docs read this table, and nothing else names a metric.
 *
 * Keys are stored in plans, analysis results and audit events, so a key is never renamed; labels
 * and defaults may change (stored results keep the numbers they were judged with).
 */
export const ANALYSIS_METRIC_KEYS = [
  "memoryPercent",
  "queueDepth",
  "p95Ms",
  "errorRate",
  "tasksPerMinute",
  "tokensPerTask",
  "evalScore",
] as const;
export type AnalysisMetricKey = (typeof ANALYSIS_METRIC_KEYS)[number];

export const ANALYSIS_GROUP_KEYS = ["reliability", "latency", "resources", "quality", "cost"] as const;
export type AnalysisGroupKey = (typeof ANALYSIS_GROUP_KEYS)[number];

/**
 * Group weights for the score, summing to 100, as Kayenta's `classifier.groupWeights`. Metrics in a
 * group count equally. Every group weighs at least 10 and a single metric fail in the heaviest
 * two-metric group costs 17.5 points, so with the default pass threshold of 95 any metric that fails
 * keeps the score below "pass": the score ranks how bad a failing canary is, it never outvotes a fail.
 */
export const ANALYSIS_GROUPS: Readonly<Record<AnalysisGroupKey, { label: string; weight: number }>> = {
  reliability: { label: "Reliability", weight: 35 },
  latency: { label: "Latency", weight: 20 },
  resources: { label: "Resources", weight: 20 },
  quality: { label: "Quality", weight: 15 },
  cost: { label: "Cost", weight: 10 },
};

/**
 * - relative: the change is canary/baseline − 1 (0.2 = +20 %), for metrics whose scale differs by
 *   deployment (latency, memory, token spend). A zero baseline makes the ratio undefined; see the
 *   judge for how that is decided.
 * - absolute: the change is canary − baseline in the metric's unit (error rate in percentage points,
 *   queue depth in tasks, eval score in score points), for metrics where "twice as many" is
 *   meaningless near zero: 0.5 % → 1 % errors is +100 % but only +0.5 pp. This is also what makes a
 *   zero-error baseline judgeable.
 */
export type ToleranceKind = "relative" | "absolute";

export interface AnalysisMetricDefinition {
  key: AnalysisMetricKey;
  /** Lower case, for sentences: "p95 latency +27 % vs baseline". */
  label: string;
  /** Appended to values: "%", " ms", "/min", "" (a count or a score). Absolute changes of a "%" metric read in " pp". */
  unit: string;
  badDirection: "increase" | "decrease";
  /** How the value is derived from what the collector stores (MetricSample rows, capability checks). */
  source: string;
  tolerance: ToleranceKind;
  /**
   * What a cohort's value is for the effect size: the median of its samples for gauges (robust to a
   * slow scrape), or the pooled ratio Σnumerator/Σdenominator for rates built from counters (the
   * median of per-interval error rates is 0 whenever errors are rarer than one per interval).
   */
  center: "median" | "pooled";
  /** Default change in the bad direction that is tolerated, as a positive number in the tolerance's unit. */
  allowedChange: number;
  /** Default change above which the metric is critical: the canary fails whatever the score. */
  criticalChange: number;
  group: AnalysisGroupKey;
  /** Fewest samples per cohort (all nodes pooled) for a judgement; fewer is inconclusive. */
  minSamples: number;
  /** No or too few samples make the whole analysis inconclusive, never a pass (Kayenta's mustHaveData). */
  mustHaveData: boolean;
  /** Absolute safety limit on the canary, checked at every look including the watch; null for none. */
  limit: number | null;
  /** Values a sample or a limit may take; also bounds absolute tolerances. */
  range: { min: number; max: number };
  /** Whether the canary-only trend test (Theil–Sen + Mann–Kendall, projected to the limit) watches it. */
  trend: boolean;
  /**
   * Whether it only means something while the node serves traffic. Before a canary's first widen
   * it is drained, so these have no data yet and are judged from the first look after it.
   */
  needsTraffic: boolean;
}

// Sources of the defaults (docs/analysis.md has the full table):
// - field note 004 (release guardrails relative to stable): success rate at most 2 pp below
//   baseline, p95 at most 1.2× baseline, token spend per task at most 1.15× baseline, eval ≥ 0.90;
// - field note 000 (monitoring thresholds after the 2 GB → 8 GB leak): memory 75 %, queue depth 500,
//   p95 2,000 ms;
// - critical changes and the rest are ours, documented as such.
export const ANALYSIS_METRICS: Readonly<Record<AnalysisMetricKey, AnalysisMetricDefinition>> = {
  memoryPercent: {
    key: "memoryPercent",
    label: "memory",
    unit: "%",
    badDirection: "increase",
    source: "100 · memoryBytes / memoryLimitBytes per sample (no point without a positive limit).",
    tolerance: "relative",
    center: "median",
    allowedChange: 0.1,
    criticalChange: 0.25,
    group: "resources",
    minSamples: 8,
    mustHaveData: true,
    limit: 75,
    range: { min: 0, max: 100 },
    trend: true,
    needsTraffic: false,
  },
  queueDepth: {
    key: "queueDepth",
    label: "queue depth",
    unit: "",
    badDirection: "increase",
    source: "queueDepth per sample (tasks waiting).",
    tolerance: "absolute",
    center: "median",
    allowedChange: 50,
    criticalChange: 250,
    group: "resources",
    minSamples: 8,
    mustHaveData: true,
    limit: 500,
    range: { min: 0, max: 1_000_000 },
    trend: true,
    needsTraffic: false,
  },
  p95Ms: {
    key: "p95Ms",
    label: "p95 latency",
    unit: " ms",
    badDirection: "increase",
    source: "p95Ms per sample (the agent's own 95th percentile task latency).",
    tolerance: "relative",
    center: "median",
    allowedChange: 0.2,
    criticalChange: 0.5,
    group: "latency",
    minSamples: 8,
    mustHaveData: true,
    limit: 2000,
    range: { min: 0, max: 3_600_000 },
    trend: false,
    needsTraffic: true,
  },
  errorRate: {
    key: "errorRate",
    label: "error rate",
    unit: "%",
    badDirection: "increase",
    source:
      "100 · Δ errorsTotal / Δ tasksProcessedTotal between consecutive samples of one node (intervals with no tasks have no rate); pooled as 100 · ΣΔerrors / ΣΔtasks.",
    tolerance: "absolute",
    center: "pooled",
    allowedChange: 2,
    criticalChange: 5,
    group: "reliability",
    minSamples: 8,
    mustHaveData: true,
    limit: null,
    range: { min: 0, max: 100 },
    trend: false,
    needsTraffic: true,
  },
  tasksPerMinute: {
    key: "tasksPerMinute",
    label: "tasks per minute",
    unit: "/min",
    badDirection: "decrease",
    source: "Δ tasksProcessedTotal / Δ minutes between consecutive samples of one node; pooled as ΣΔtasks / ΣΔminutes.",
    tolerance: "relative",
    center: "pooled",
    allowedChange: 0.2,
    criticalChange: 0.5,
    group: "reliability",
    minSamples: 8,
    mustHaveData: true,
    limit: null,
    range: { min: 0, max: 1_000_000 },
    trend: false,
    needsTraffic: true,
  },
  tokensPerTask: {
    key: "tokensPerTask",
    label: "tokens per task",
    unit: "",
    badDirection: "increase",
    source: "Δ tokensSpentTotal / Δ tasksProcessedTotal between consecutive samples of one node; pooled as ΣΔtokens / ΣΔtasks.",
    tolerance: "relative",
    center: "pooled",
    allowedChange: 0.15,
    criticalChange: 0.4,
    group: "cost",
    minSamples: 8,
    // Agents without a token counter are common; a plan that relies on it sets mustHaveData.
    mustHaveData: false,
    limit: null,
    range: { min: 0, max: 100_000_000 },
    trend: false,
    needsTraffic: true,
  },
  evalScore: {
    key: "evalScore",
    label: "eval score",
    unit: "",
    badDirection: "decrease",
    source: "Fraction of capability checks passed (0..1), one sample per capability-check run.",
    tolerance: "absolute",
    center: "median",
    // A capability run is a handful of probes, so one score is noisy (40 probes at 0.95: sd ≈ 0.03).
    // The field note's floor (0.90) is the limit; the relative tolerance only has to tell a real drop
    // (0.95 → 0.85) from noise, which 0.05 did not reliably do over the engine's short windows.
    allowedChange: 0.08,
    criticalChange: 0.2,
    group: "quality",
    // Capability checks run rarely, a handful per hold.
    minSamples: 3,
    // Nothing produces eval scores yet; a plan that runs capability checks sets mustHaveData.
    mustHaveData: false,
    limit: 0.9,
    range: { min: 0, max: 1 },
    trend: false,
    needsTraffic: false,
  },
};
