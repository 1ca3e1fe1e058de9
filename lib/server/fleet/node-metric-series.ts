import "server-only";
import { METRIC_RANGES, type MetricPoint, type MetricRange } from "@/lib/fleet/metric-range";
import { db } from "../db";

interface BucketRow {
  t: Date;
  memory_bytes: number | null;
  memory_limit_bytes: number | null;
  queue_depth: number | null;
  p95_ms: number | null;
  tasks_total: number | null;
}

/**
 * A node's metrics over a range, bucketed in Postgres (date_bin, buckets aligned to the epoch so they do not move between refreshes) so a 7-day chart reads a few
 * hundred rows instead of 40,000 samples: memory is averaged (its trend matters), queue depth and
 * p95 take the bucket's maximum (a spike must not be averaged away), and tasks/min comes from the
 * counter's growth between buckets (a restart resets the counter: that bucket has no rate).
 */
export async function nodeMetricSeries(options: { nodeId: string; range: MetricRange; now?: Date }): Promise<MetricPoint[]> {
  const { ms, bucketSeconds } = METRIC_RANGES[options.range];
  const to = options.now ?? new Date();
  const from = new Date(to.getTime() - ms);
  const rows = await db.$queryRaw<BucketRow[]>`
    SELECT date_bin(${`${bucketSeconds} seconds`}::interval, "at", TIMESTAMPTZ 'epoch') AS t,
           avg("memoryBytes") AS memory_bytes,
           max("memoryLimitBytes") AS memory_limit_bytes,
           max("queueDepth") AS queue_depth,
           max("p95Ms") AS p95_ms,
           max("tasksProcessedTotal") AS tasks_total
    FROM "MetricSample"
    WHERE "nodeId" = ${options.nodeId} AND "at" >= ${from}::timestamptz AND "at" <= ${to}::timestamptz
    GROUP BY 1
    ORDER BY 1`;
  let previous: BucketRow | undefined;
  return rows.map((row) => {
    const minutes = previous ? (row.t.getTime() - previous.t.getTime()) / 60_000 : 0;
    const grew = previous?.tasks_total != null && row.tasks_total != null ? row.tasks_total - previous.tasks_total : null;
    previous = row;
    return {
      t: row.t.getTime(),
      memoryBytes: row.memory_bytes,
      memoryLimitBytes: row.memory_limit_bytes,
      memoryPercent: row.memory_bytes != null && row.memory_limit_bytes ? (100 * row.memory_bytes) / row.memory_limit_bytes : null,
      queueDepth: row.queue_depth,
      tasksPerMinute: grew !== null && grew >= 0 && minutes > 0 ? grew / minutes : null,
      p95Ms: row.p95_ms,
    };
  });
}
