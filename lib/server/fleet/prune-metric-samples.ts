import "server-only";
import { db } from "../db";

const DAY_MS = 86_400_000;
/** The node page charts reach back 7 days; retention never cuts into them. */
const MIN_RETENTION_DAYS = 8;

/** How many days of raw metric samples are kept (ROLLBOOK_METRIC_RETENTION_DAYS, default 30). */
export function metricRetentionDays(): number {
  const days = Number(process.env.ROLLBOOK_METRIC_RETENTION_DAYS ?? 30);
  return Number.isFinite(days) ? Math.max(MIN_RETENTION_DAYS, days) : 30;
}

/**
 * Deletes metric samples older than the retention window. A thousand nodes polled every 15 s add
 * ~5.8 M rows a day, so without this the table only grows. Deletes go in batches, each its own
 * short statement, so no single one holds locks or WAL for long; the BRIN index on "at" finds the
 * old rows without scanning the table. Readiness snapshots are kept: they are small (one per
 * change) and incident reviews read them.
 */
export async function pruneMetricSamples(options: { now?: Date; batchSize?: number } = {}): Promise<number> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - metricRetentionDays() * DAY_MS).toISOString();
  const batchSize = options.batchSize ?? 50_000;
  let deleted = 0;
  for (;;) {
    // "at" is a UTC timestamp without time zone; compare it with one, so the index applies.
    const batch = await db.$executeRaw`
      DELETE FROM "MetricSample" WHERE id IN (
        SELECT id FROM "MetricSample" WHERE "at" < (${cutoff}::timestamptz AT TIME ZONE 'UTC') LIMIT ${batchSize}
      )`;
    deleted += batch;
    if (batch < batchSize) return deleted;
  }
}
