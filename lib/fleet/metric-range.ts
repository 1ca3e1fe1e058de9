import { z } from "zod";

/** The chart ranges on the node page, and the bucket that keeps each under ~1,000 points. */
export const METRIC_RANGES = {
  "1h": { ms: 3_600_000, bucketSeconds: 15 },
  "6h": { ms: 6 * 3_600_000, bucketSeconds: 30 },
  "24h": { ms: 24 * 3_600_000, bucketSeconds: 120 },
  "7d": { ms: 7 * 24 * 3_600_000, bucketSeconds: 900 },
} as const;

export type MetricRange = keyof typeof METRIC_RANGES;

export const metricRangeSchema = z.enum(["1h", "6h", "24h", "7d"]).catch("1h");

/** One chart point: a time bucket of a node's samples. Rates are per minute. */
export interface MetricPoint {
  t: number;
  memoryBytes: number | null;
  memoryLimitBytes: number | null;
  memoryPercent: number | null;
  queueDepth: number | null;
  tasksPerMinute: number | null;
  p95Ms: number | null;
}

/** Alert lines drawn on the charts: 75 % memory, 500 queued tasks, 2 s p95. */
export const METRIC_ALERT_LINES = { memoryPercent: 75, queueDepth: 500, p95Ms: 2_000 } as const;
