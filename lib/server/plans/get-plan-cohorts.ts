import "server-only";
import { AppError } from "@/lib/app-error";
import type { PlanGuardrails } from "@/lib/plans/plan-guardrails-schema";
import { COHORT_METRICS, type PlanCohorts } from "@/lib/plans/plan-cohorts-view";
import { compareCohorts } from "@/lib/readiness";
import { db } from "../db";

const WINDOW_MINUTES = 30;

interface SampleRow {
  node_id: string;
  at: Date;
  memory_percent: number | null;
  queue_depth: number | null;
  p95_ms: number | null;
}

/**
 * Canary against stable for a plan: the canary cohort is every plan node already restarted on the
 * new release, the stable cohort every other node still on the plan's starting release (witnesses
 * included: they are the baseline by design). Each metric gets a Mann-Whitney verdict over the
 * last half hour's samples, combined with the plan's own threshold.
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
  const from = new Date(now.getTime() - WINDOW_MINUTES * 60_000);
  const ids = [...canaryIds, ...stable.map((node) => node.id)];
  const rows = ids.length
    ? await db.$queryRaw<SampleRow[]>`
        SELECT "nodeId" AS node_id, "at",
               100 * "memoryBytes" / NULLIF("memoryLimitBytes", 0) AS memory_percent,
               "queueDepth" AS queue_depth, "p95Ms" AS p95_ms
        FROM "MetricSample" WHERE "nodeId" = ANY(${ids}) AND "at" >= ${from}::timestamptz ORDER BY "at"`
    : [];

  const values = (cohort: "canary" | "stable", key: "memory_percent" | "queue_depth" | "p95_ms") =>
    rows.filter((row) => canaryIds.has(row.node_id) === (cohort === "canary")).flatMap((row) => (row[key] === null ? [] : [row[key]]));
  const column = { memoryPercent: "memory_percent", queueDepth: "queue_depth", p95Ms: "p95_ms" } as const;
  const guardrails = plan.guardrails as PlanGuardrails;
  const verdicts = COHORT_METRICS.map((metric) =>
    compareCohorts({
      metric: metric.key,
      direction: metric.direction,
      canary: values("canary", column[metric.key]),
      stable: values("stable", column[metric.key]),
      ...(guardrails[metric.guardrail] !== undefined ? { threshold: guardrails[metric.guardrail] } : {}),
    }),
  );

  // Per-minute cohort averages for the overlay charts.
  const byMinute = new Map<number, { sums: Record<string, number>; counts: Record<string, number> }>();
  for (const row of rows) {
    const minute = Math.floor(row.at.getTime() / 60_000) * 60_000;
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
    windowMinutes: WINDOW_MINUTES,
    canaryNodes: restarted.map((step) => step.node.name),
    stableNodes: stable.map((node) => node.name),
    series,
    verdicts,
  };
}
