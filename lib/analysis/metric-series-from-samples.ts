import type { AnalysisMetricKey } from "./analysis-metrics";

/** One observation of a metric: `t` in epoch ms, `v` in the metric's unit, `w` the weight for pooled metrics. */
export interface MetricPoint {
  t: number;
  /** May be NaN or ±Infinity when the source sent garbage; the analysis then refuses to judge the metric. */
  v: number;
  /** Denominator of a pooled rate: tasks in the interval (error rate, tokens per task) or minutes (tasks per minute). */
  w?: number;
}

/** A node's samples per metric, as the analysis reads them. Plain data, so it can be stored as evidence. */
export interface NodeSeries {
  nodeId: string;
  series: Partial<Record<AnalysisMetricKey, MetricPoint[]>>;
  /**
   * Why data is missing, from whoever fetched it: a scrape failure, a provider error. With `metric`
   * it concerns that metric, without it every metric of the node. Any error makes the affected
   * metrics inconclusive: missing data is never read as good data.
   */
  errors?: { metric?: AnalysisMetricKey; message: string }[];
}

/** A MetricSample row as the collector stores it; every value may be missing. */
export interface RawMetricSample {
  at: Date;
  memoryBytes: number | null;
  memoryLimitBytes: number | null;
  queueDepth: number | null;
  p95Ms: number | null;
  tasksProcessedTotal: number | null;
  errorsTotal: number | null;
  tokensSpentTotal: number | null;
}

/** One capability-check run: the fraction of checks that passed, 0..1. */
export interface EvalScoreSample {
  at: Date;
  score: number | null;
}

/**
 * Turns one node's stored rows into the per-metric series the analysis judges (the derivations
 * are the `source` column of ANALYSIS_METRICS):
 * - gauges (memory %, queue depth, p95) give one point per row; memory needs a positive limit;
 * - counters give one point per pair of consecutive rows, dated at the later row: tasks per minute
 *   (weight: minutes), error rate in % and tokens per task (weight: tasks; an interval without
 *   tasks has no rate). A counter that went down was reset (a restart): that interval is dropped,
 *   never read as negative work; the next interval counts from the new value;
 * - eval scores come from capability-check runs, one point each.
 * Missing values (null) give no point. Non-finite values (NaN, ±Infinity) are kept as NaN so the
 * judge can say the source is broken instead of quietly judging fewer samples.
 * Rows may come in any order; rows with the same `at` keep the first.
 */
export function metricSeriesFromSamples(input: {
  nodeId: string;
  samples: readonly RawMetricSample[];
  evalScores?: readonly EvalScoreSample[];
}): NodeSeries {
  const rows = dedupeByTime(input.samples);
  const memoryPercent: MetricPoint[] = [];
  const queueDepth: MetricPoint[] = [];
  const p95Ms: MetricPoint[] = [];
  const tasksPerMinute: MetricPoint[] = [];
  const errorRate: MetricPoint[] = [];
  const tokensPerTask: MetricPoint[] = [];

  let previous: RawMetricSample | undefined;
  for (const row of rows) {
    const t = row.at.getTime();
    if (row.memoryBytes !== null && row.memoryLimitBytes !== null) {
      if (!Number.isFinite(row.memoryBytes) || !Number.isFinite(row.memoryLimitBytes)) memoryPercent.push({ t, v: Number.NaN });
      else if (row.memoryLimitBytes > 0) memoryPercent.push({ t, v: (100 * row.memoryBytes) / row.memoryLimitBytes });
    }
    if (row.queueDepth !== null) queueDepth.push({ t, v: finiteOrNaN(row.queueDepth) });
    if (row.p95Ms !== null) p95Ms.push({ t, v: finiteOrNaN(row.p95Ms) });

    if (previous) {
      const minutes = (t - previous.at.getTime()) / 60_000;
      const tasks = delta(previous.tasksProcessedTotal, row.tasksProcessedTotal);
      // A reset of the task counter means the agent restarted: its other counters restarted too.
      if (tasks !== null && !(tasks < 0)) {
        if (Number.isNaN(tasks)) {
          tasksPerMinute.push({ t, v: Number.NaN, w: minutes });
          errorRate.push({ t, v: Number.NaN });
          tokensPerTask.push({ t, v: Number.NaN });
        } else {
          tasksPerMinute.push({ t, v: tasks / minutes, w: minutes });
          const errors = delta(previous.errorsTotal, row.errorsTotal);
          if (tasks > 0 && errors !== null && !(errors < 0)) errorRate.push({ t, v: (100 * errors) / tasks, w: tasks });
          const tokens = delta(previous.tokensSpentTotal, row.tokensSpentTotal);
          if (tasks > 0 && tokens !== null && !(tokens < 0)) tokensPerTask.push({ t, v: tokens / tasks, w: tasks });
        }
      }
    }
    previous = row;
  }

  const evalScore: MetricPoint[] = [];
  for (const sample of dedupeByTime(input.evalScores ?? [])) {
    if (sample.score !== null) evalScore.push({ t: sample.at.getTime(), v: finiteOrNaN(sample.score) });
  }

  const series: NodeSeries["series"] = { memoryPercent, queueDepth, p95Ms, errorRate, tasksPerMinute, tokensPerTask, evalScore };
  return { nodeId: input.nodeId, series };
}

function dedupeByTime<T extends { at: Date }>(rows: readonly T[]): T[] {
  const sorted = rows.map((row, index) => ({ row, index })).sort((a, b) => a.row.at.getTime() - b.row.at.getTime() || a.index - b.index);
  const kept: T[] = [];
  for (const { row } of sorted) {
    if (kept.at(-1)?.at.getTime() !== row.at.getTime()) kept.push(row);
  }
  return kept;
}

/** later − earlier; null when either is missing, NaN when either is not finite. */
function delta(earlier: number | null, later: number | null): number | null {
  if (earlier === null || later === null) return null;
  if (!Number.isFinite(earlier) || !Number.isFinite(later)) return Number.NaN;
  return later - earlier;
}

function finiteOrNaN(value: number): number {
  return Number.isFinite(value) ? value : Number.NaN;
}
