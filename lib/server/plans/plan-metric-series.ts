import "server-only";
import { db } from "../db";

/**
 * Per-minute memory % of a plan's nodes between two times, for the chart that
 * sits under the plan's timeline on the same axis. Upgraded and not-yet-upgraded nodes are split,
 * so a leak after a restart shows as the two lines parting.
 */
export async function planMetricSeries(options: { planId: string; from: Date; to: Date }): Promise<Array<Record<string, number | null>>> {
  const rows = await db.$queryRaw<{ t: Date; upgraded: boolean; memory_percent: number | null }[]>`
    WITH restarted AS (
      SELECT "nodeId", "finishedAt" FROM "PlanStep" WHERE "planId" = ${options.planId} AND kind = 'restart' AND status = 'succeeded'
    )
    SELECT date_bin('1 minute', s."at", TIMESTAMPTZ 'epoch') AS t,
           (r."finishedAt" IS NOT NULL AND s."at" >= r."finishedAt") AS upgraded,
           avg(100 * s."memoryBytes" / NULLIF(s."memoryLimitBytes", 0)) AS memory_percent
    FROM "MetricSample" s
    JOIN "PlanNode" pn ON pn."nodeId" = s."nodeId" AND pn."planId" = ${options.planId}
    LEFT JOIN restarted r ON r."nodeId" = s."nodeId"
    WHERE s."at" >= ${options.from}::timestamptz AND s."at" <= ${options.to}::timestamptz
    GROUP BY 1, 2 ORDER BY 1`;
  const byMinute = new Map<number, Record<string, number | null>>();
  for (const row of rows) {
    const t = row.t.getTime();
    const point = byMinute.get(t) ?? { t, upgraded_memory: null, old_memory: null };
    point[row.upgraded ? "upgraded_memory" : "old_memory"] = row.memory_percent;
    byMinute.set(t, point);
  }
  return [...byMinute.values()];
}
