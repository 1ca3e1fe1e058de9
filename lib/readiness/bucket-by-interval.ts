import { max, mean } from "simple-statistics";
import { AppError } from "@/lib/app-error";
import type { SeriesPoint } from "./downsample-series";

export type BucketAggregate = "avg" | "max" | "last";

/**
 * One point per `intervalMs` bucket, stamped with the bucket's start. This is the contract for
 * pre-aggregating in Postgres before anything is sent to the browser, and the in-memory
 * reference the SQL is tested against. Buckets are aligned to the Unix epoch, so the same
 * interval gives the same boundaries on every query and page, and empty buckets are left out
 * (a gap in the chart, not a zero). The equivalent SQL (Postgres ≥ 14, `date_bin`):
 *
 * ```sql
 * SELECT date_bin(make_interval(secs => $1 / 1000.0), "scrapedAt", TIMESTAMPTZ 'epoch') AS t,
 *        avg("memoryPercent") AS v                                   -- agg = "avg"
 *     -- max("memoryPercent")                                        -- agg = "max"
 *     -- (array_agg("memoryPercent" ORDER BY "scrapedAt" DESC))[1]   -- agg = "last"
 * FROM ... WHERE "memoryPercent" IS NOT NULL AND "scrapedAt" >= $2
 * GROUP BY 1 ORDER BY 1;
 * ```
 *
 * Use "max" for memory, latency and queue depth (a chart of averages hides the spike that
 * matters), "avg" for rates, "last" for counters and gauges read as "where it ended up".
 * For "last", a tie on `t` goes to the later point in input order. Non-finite points are
 * dropped, like the SQL's `IS NOT NULL`.
 */
export function bucketByInterval(points: readonly SeriesPoint[], intervalMs: number, agg: BucketAggregate): SeriesPoint[] {
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
    throw new AppError("internal", `bucketByInterval needs a positive interval, got ${intervalMs} ms.`);
  }
  const buckets = new Map<number, { values: number[]; lastT: number; lastV: number }>();
  for (const { t, v } of points) {
    if (!Number.isFinite(t) || !Number.isFinite(v)) continue;
    // Math.floor, not truncation: a bucket is stamped with its start, also for (test) times before 1970.
    const start = Math.floor(t / intervalMs) * intervalMs;
    const bucket = buckets.get(start);
    if (!bucket) {
      buckets.set(start, { values: [v], lastT: t, lastV: v });
      continue;
    }
    bucket.values.push(v);
    if (t >= bucket.lastT) {
      bucket.lastT = t;
      bucket.lastV = v;
    }
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([start, bucket]) => ({
      t: start,
      v: agg === "avg" ? mean(bucket.values) : agg === "max" ? max(bucket.values) : bucket.lastV,
    }));
}
