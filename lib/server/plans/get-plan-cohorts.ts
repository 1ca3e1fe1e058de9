import "server-only";
import { AppError } from "@/lib/app-error";
import { COHORT_METRICS, type PlanCohorts } from "@/lib/plans/plan-cohorts-view";
import { db } from "../db";
import { analysisTimeScale } from "./run-plan-analysis";

/** How much fleet time the charts cover at most, and how many buckets they draw at most. */
const MAX_FLEET_MINUTES = 240;
const LEAD_IN_FLEET_MINUTES = 5;
const MAX_BUCKETS = 240;

interface SampleRow {
  node_id: string;
  at: Date;
  memory_percent: number | null;
  queue_depth: number | null;
  p95_ms: number | null;
}

/**
 * Canary against stable for a plan's charts: the canary cohort is every plan node already
 * restarted on the new release, the stable cohort every other node still on the plan's starting
 * release (witnesses included: they are the baseline by design). Averaged per fleet minute (wall
 * clock divided by the analysis time scale) from a little before the plan started, so a simulated
 * fleet's compressed leak still draws as a line and not as two points.
 */
export async function getPlanCohorts(options: { planId: string; now?: Date }): Promise<PlanCohorts> {
  const now = options.now ?? new Date();
  const plan = await db.plan.findUnique({ where: { id: options.planId }, include: { fromRelease: { select: { coreVersion: true } } } });
  if (!plan) throw new AppError("not_found", "No such plan.");
  const restarted = await db.planStep.findMany({
    where: { planId: plan.id, kind: "restart", status: "succeeded" },
    select: { nodeId: true, node: { select: { name: true } } },
  });
  const canaryIds = new Set(restarted.map((step) => step.nodeId));
  const stable = await db.node.findMany({
    where: { coreVersion: plan.fromRelease.coreVersion, id: { notIn: [...canaryIds] } },
    select: { id: true, name: true },
  });
  const fleetMinuteMs = 60_000 / analysisTimeScale();
  const end = plan.finishedAt && plan.finishedAt < now ? plan.finishedAt.getTime() + LEAD_IN_FLEET_MINUTES * fleetMinuteMs : now.getTime();
  const earliest = end - MAX_FLEET_MINUTES * fleetMinuteMs;
  const start = Math.max(earliest, (plan.startedAt?.getTime() ?? end) - LEAD_IN_FLEET_MINUTES * fleetMinuteMs);
  const bucketMs = Math.max(fleetMinuteMs, (end - start) / MAX_BUCKETS, 1_000);
  const from = new Date(start);
  const to = new Date(end);
  const ids = [...canaryIds, ...stable.map((node) => node.id)];
  const rows = ids.length
    ? await db.$queryRaw<SampleRow[]>`
        SELECT "nodeId" AS node_id, "at",
               100 * "memoryBytes" / NULLIF("memoryLimitBytes", 0) AS memory_percent,
               "queueDepth" AS queue_depth, "p95Ms" AS p95_ms
        FROM "MetricSample"
        WHERE "nodeId" = ANY(${ids}) AND "at" >= ${from}::timestamptz AND "at" <= ${to}::timestamptz ORDER BY "at"`
    : [];
  const column = { memoryPercent: "memory_percent", queueDepth: "queue_depth", p95Ms: "p95_ms" } as const;

  // Cohort averages per bucket for the overlay charts.
  const byMinute = new Map<number, { sums: Record<string, number>; counts: Record<string, number> }>();
  for (const row of rows) {
    const minute = start + Math.floor((row.at.getTime() - start) / bucketMs) * bucketMs;
    const cohort = canaryIds.has(row.node_id) ? "canary" : "stable";
    const bucket = byMinute.get(minute) ?? { sums: {}, counts: {} };
    for (const metric of COHORT_METRICS) {
      const value = row[column[metric.key]];
      if (value === null) continue;
      const key = `${cohort}_${metric.key}`;
      bucket.sums[key] = (bucket.sums[key] ?? 0) + value;
      bucket.counts[key] = (bucket.counts[key] ?? 0) + 1;
    }
    byMinute.set(minute, bucket);
  }
  const series = [...byMinute.entries()]
    .sort(([a], [b]) => a - b)
    .map(([t, bucket]) => {
      const point: Record<string, number | null> = { t };
      for (const cohort of ["canary", "stable"]) {
        for (const metric of COHORT_METRICS) {
          const key = `${cohort}_${metric.key}`;
          point[key] = bucket.counts[key] ? bucket.sums[key]! / bucket.counts[key] : null;
        }
      }
      return point;
    });

  return {
    from: start,
    to: end,
    bucketMs,
    canaryNodes: restarted.map((step) => step.node.name),
    stableNodes: stable.map((node) => node.name),
    series,
  };
}
