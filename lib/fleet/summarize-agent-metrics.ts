import parsePrometheusTextFormat, { type PrometheusFamily } from "parse-prometheus-text-format";

/** The numbers guardrails and charts need from one scrape of an agent's /metrics. */
export interface AgentMetricsSummary {
  memoryBytes: number | null;
  memoryLimitBytes: number | null;
  memoryPercent: number | null;
  queueDepth: number | null;
  tasksProcessedTotal: number | null;
  errorsTotal: number | null;
  tokensSpentTotal: number | null;
  /**
   * 95th percentile task duration over the agent's recent window (rollbook_task_duration_p95_seconds,
   * the last 5 minutes); from an agent without it, interpolated in the cumulative histogram.
   */
  p95Ms: number | null;
  /** 1 - errors / processed since the gateway started; null before the first task. */
  successRate: number | null;
  /** Weighted score (0..1) of the node's latest capability checks; null when it has none. */
  evalScore: number | null;
}

function firstValue(families: Map<string, PrometheusFamily>, name: string): number | null {
  const raw = families.get(name)?.metrics[0]?.value;
  const value = raw === undefined ? Number.NaN : Number(raw);
  return Number.isFinite(value) ? value : null;
}

/**
 * The q-quantile of a Prometheus histogram (cumulative buckets), the way PromQL's
 * histogram_quantile does it: find the bucket holding the rank, interpolate linearly inside it.
 */
export function histogramQuantile(quantile: number, buckets: Record<string, string>): number | null {
  const sorted = Object.entries(buckets)
    .map(([bound, count]) => ({ bound: bound === "+Inf" ? Number.POSITIVE_INFINITY : Number(bound), count: Number(count) }))
    .filter((bucket) => !Number.isNaN(bucket.bound) && Number.isFinite(bucket.count))
    .sort((a, b) => a.bound - b.bound);
  const total = sorted.at(-1)?.count ?? 0;
  if (total <= 0) return null;
  const rank = quantile * total;
  let previousBound = 0;
  let previousCount = 0;
  for (const bucket of sorted) {
    if (bucket.count >= rank) {
      // The open-ended bucket has no upper bound: answer with the highest finite one, as PromQL does.
      if (!Number.isFinite(bucket.bound)) return previousBound;
      const inBucket = bucket.count - previousCount;
      if (inBucket <= 0) return bucket.bound;
      return previousBound + ((bucket.bound - previousBound) * (rank - previousCount)) / inBucket;
    }
    previousBound = bucket.bound;
    previousCount = bucket.count;
  }
  return previousBound;
}

export function summarizeAgentMetrics(exposition: string): AgentMetricsSummary {
  const families = new Map(parsePrometheusTextFormat(exposition).map((family) => [family.name, family]));
  const memoryBytes = firstValue(families, "openclaw_memory_bytes");
  const memoryLimitBytes = firstValue(families, "openclaw_memory_limit_bytes");
  const tasksProcessedTotal = firstValue(families, "openclaw_tasks_processed_total");
  const errorsTotal = firstValue(families, "openclaw_errors_total");
  // The cumulative histogram counts every task since the agent started, so a regression that began
  // minutes ago barely moves its quantile; the agent's recent p95 is what a guardrail should read.
  const buckets = families.get("openclaw_task_duration_seconds")?.metrics[0]?.buckets;
  const p95Seconds = firstValue(families, "rollbook_task_duration_p95_seconds") ?? (buckets ? histogramQuantile(0.95, buckets) : null);
  const evalScore = firstValue(families, "rollbook_capability_score");
  return {
    memoryBytes,
    memoryLimitBytes,
    memoryPercent: memoryBytes !== null && memoryLimitBytes ? (100 * memoryBytes) / memoryLimitBytes : null,
    queueDepth: firstValue(families, "openclaw_queue_depth"),
    tasksProcessedTotal,
    errorsTotal,
    tokensSpentTotal: firstValue(families, "openclaw_tokens_spent_total"),
    p95Ms: p95Seconds === null ? null : p95Seconds * 1000,
    successRate: tasksProcessedTotal && errorsTotal !== null ? Math.max(0, 1 - errorsTotal / tasksProcessedTotal) : null,
    evalScore: evalScore !== null && evalScore >= 0 && evalScore <= 1 ? evalScore : null,
  };
}
