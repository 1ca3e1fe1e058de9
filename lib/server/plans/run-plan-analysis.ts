import "server-only";
import { z } from "zod";
import {
  FIRST_BEFORE_WIDEN_MS,
  TREND_MIN_POINTS,
  WARM_UP_MS,
  analysePlanCohorts,
  analysisAction,
  type AnalysisAction,
  type AnalysisPhase,
  type AnalysisResult,
  type CohortSample,
} from "@/lib/analysis";
import type { Prisma } from "@/lib/generated/prisma/client";
import { planAnalysisConfig } from "@/lib/plans/plan-analysis-config";
import type { PlanGuardrails } from "@/lib/plans/plan-guardrails-schema";
import { appendAuditEvent } from "../audit-log";
import { db, sqlPool } from "../db";
import { collectIntervalMs } from "../fleet/run-collector-round";

const analysisSettingsSchema = z.object({
  /**
   * For demos and tests whose simulated fleet runs on a compressed clock (the simulator's
   * --time-scale): sample ages, windows, slopes and horizons are read in the fleet's time, so "ten
   * minutes of samples" means ten simulated minutes. Real fleets leave it at 1.
   */
  ROLLBOOK_ANALYSIS_TIME_SCALE: z.coerce.number().min(1).max(100_000).default(1),
});

export function analysisTimeScale(env: Record<string, string | undefined> = process.env): number {
  return analysisSettingsSchema.parse(env).ROLLBOOK_ANALYSIS_TIME_SCALE;
}

const MINUTE_MS = 60_000;

type SampleRow = CohortSample & { nodeId: string };

type PlanForAnalysis = Awaited<ReturnType<typeof loadPlan>>;

function loadPlan(planId: string) {
  return db.plan.findUniqueOrThrow({
    where: { id: planId },
    include: {
      fromRelease: { select: { coreVersion: true } },
      nodes: { select: { nodeId: true, wave: true, baselineRestartedAt: true } },
      steps: { select: { nodeId: true, wave: true, kind: true, status: true, finishedAt: true } },
    },
  });
}

/** When each canary (every plan node restarted on the new release) restarted, and took traffic again. */
function canaryTimes(plan: PlanForAnalysis) {
  const restartedAt = new Map<string, Date>();
  const widenedAt = new Map<string, Date>();
  for (const step of plan.steps) {
    if (step.status !== "succeeded" || !step.finishedAt) continue;
    if (step.kind === "restart") restartedAt.set(step.nodeId, step.finishedAt);
    if (step.kind === "widen") widenedAt.set(step.nodeId, step.finishedAt);
  }
  return { restartedAt, widenedAt };
}

/**
 * The baseline of a look: nodes on the plan's starting release over the same window, witnesses
 * and nodes outside the plan included, leaving out canaries and plan nodes in the middle of their
 * upgrade (drained or mid-step: their numbers describe the upgrade, not the release). With a fresh
 * baseline still on the old release, that node alone, from its restart.
 */
async function baselineCohort(
  plan: PlanForAnalysis,
  canaryIds: readonly string[],
  freshBaseline: boolean,
): Promise<{ nodeIds: string[]; restartedAt: Map<string, Date> }> {
  const touched = new Set(plan.steps.filter((step) => step.status !== "pending" && step.status !== "skipped").map((step) => step.nodeId));
  const fresh = freshBaseline ? plan.nodes.find((node) => node.baselineRestartedAt !== null && !touched.has(node.nodeId)) : undefined;
  if (fresh) return { nodeIds: [fresh.nodeId], restartedAt: new Map([[fresh.nodeId, fresh.baselineRestartedAt!]]) };
  const baseline = await db.node.findMany({
    where: { coreVersion: plan.fromRelease.coreVersion, id: { notIn: [...new Set([...canaryIds, ...touched])] } },
    select: { id: true },
    orderBy: { name: "asc" },
  });
  return { nodeIds: baseline.map((node) => node.id), restartedAt: new Map() };
}

/**
 * Nodes whose scrapes have failed for three rounds (the fleet page's freshness window), with why:
 * their stored samples end where the silence began, and judging what is left would read a node
 * that stopped reporting as one that is fine.
 */
async function silentNodes(nodeIds: readonly string[], now: Date): Promise<Map<string, string>> {
  const staleAfterMs = 3 * collectIntervalMs();
  const health = await db.nodeHealth.findMany({
    where: { nodeId: { in: [...nodeIds] } },
    select: { nodeId: true, lastAttemptAt: true, lastOkAt: true, lastErrorMessage: true },
  });
  const silent = new Map<string, string>();
  for (const row of health) {
    // A late round (a busy dashboard) is not a silent node: its last attempt must have failed.
    if (row.lastOkAt && row.lastOkAt.getTime() >= row.lastAttemptAt.getTime()) continue;
    const quietMs = row.lastOkAt ? now.getTime() - row.lastOkAt.getTime() : Number.POSITIVE_INFINITY;
    if (quietMs <= staleAfterMs) continue;
    const since = row.lastOkAt ? `for ${Math.round(quietMs / 1000)} s` : "since it was registered";
    silent.set(row.nodeId, `no answer to the collector ${since}${row.lastErrorMessage ? ` (${row.lastErrorMessage})` : ""}`);
  }
  return silent;
}

async function loadSamples(nodeIds: readonly string[], from: Date, to: Date): Promise<SampleRow[]> {
  if (nodeIds.length === 0) return [];
  const rows = await sqlPool().query<SampleRow>(
    `SELECT "nodeId", "at" AT TIME ZONE 'UTC' AS "at", "memoryBytes", "memoryLimitBytes", "queueDepth", "p95Ms",
            "tasksProcessedTotal", "errorsTotal", "tokensSpentTotal", "evalScore"
     FROM "MetricSample"
     WHERE "nodeId" = ANY($1::text[]) AND "at" >= ($2::timestamptz AT TIME ZONE 'UTC') AND "at" <= ($3::timestamptz AT TIME ZONE 'UTC')
     ORDER BY "at"`,
    [nodeIds, from.toISOString(), to.toISOString()],
  );
  return rows.rows;
}

/** How far ahead a projected crossing matters: the rest of this wave's hold and the next wave's. */
function horizonMsFor(plan: PlanForAnalysis, wave: number, scale: number): number {
  const waves = plan.waves as { index: number; holdSeconds: number }[];
  const seconds = waves
    .filter((candidate) => candidate.index === wave || candidate.index === wave + 1)
    .reduce((sum, w) => sum + w.holdSeconds, 0);
  return seconds * 1000 * scale;
}

export type PlanAnalysis = { result: AnalysisResult; action: AnalysisAction; runId: string | null };

/**
 * One canary analysis of a plan, on the collector's stored samples: cohorts, window, the pure
 * judge (lib/analysis), and the evidence. Formal looks (before_widen, end_of_hold) are always
 * stored as an AnalysisRun and in the audit chain; a watch is stored only when it does not pass
 * or its decision changed, so a healthy hold does not write a row a minute.
 */
export async function runPlanAnalysis(options: {
  planId: string;
  phase: AnalysisPhase;
  wave: number;
  now?: Date;
}): Promise<PlanAnalysis | null> {
  const now = options.now ?? new Date();
  const scale = analysisTimeScale();
  const plan = await loadPlan(options.planId);
  const config = planAnalysisConfig({ analysis: plan.analysis, guardrails: plan.guardrails as PlanGuardrails });
  const { restartedAt, widenedAt } = canaryTimes(plan);
  if (restartedAt.size === 0) return null;
  const realWindowMs = (config.windowMinutes * MINUTE_MS) / scale;
  const canaryIds = [...restartedAt.keys()];
  const cohort = await baselineCohort(plan, canaryIds, config.freshBaseline);
  const silent = await silentNodes([...canaryIds, ...cohort.nodeIds], now);
  // A silent baseline node's window is old news; the others speak for the old release.
  const baselineIds = cohort.nodeIds.filter((nodeId) => !silent.has(nodeId));
  const ids = [...canaryIds, ...baselineIds];
  const rows = await loadSamples(ids, new Date(now.getTime() - realWindowMs), now);
  const reference = plan.startedAt ? await loadSamples(ids, new Date(plan.startedAt.getTime() - realWindowMs), plan.startedAt) : [];
  const of = (list: SampleRow[], nodeId: string) => list.filter((row) => row.nodeId === nodeId);
  const result = analysePlanCohorts({
    phase: options.phase,
    now,
    config,
    horizonMs: horizonMsFor(plan, options.wave, scale),
    canary: canaryIds.map((nodeId) => ({
      nodeId,
      restartedAt: restartedAt.get(nodeId)!,
      widenedAt: widenedAt.get(nodeId) ?? null,
      samples: of(rows, nodeId),
      problems: silent.has(nodeId) ? [silent.get(nodeId)!] : [],
    })),
    baseline: baselineIds.map((nodeId) => ({
      nodeId,
      samples: of(rows, nodeId),
      ...(cohort.restartedAt.has(nodeId) ? { restartedAt: cohort.restartedAt.get(nodeId)! } : {}),
    })),
    reference: plan.startedAt
      ? { endedAt: plan.startedAt, samples: ids.map((nodeId) => ({ nodeId, samples: of(reference, nodeId) })) }
      : null,
    timeScale: scale,
  });
  const action = analysisAction({ phase: options.phase, decision: result.decision, autoRollback: plan.autoRollback });
  const runId = await storeRun(plan.id, options.wave, result);
  return { result, action, runId };
}

async function storeRun(planId: string, wave: number, result: AnalysisResult): Promise<string | null> {
  if (result.phase === "watch") {
    const last = await db.analysisRun.findFirst({ where: { planId, phase: "watch" }, orderBy: { at: "desc" }, select: { decision: true } });
    if (result.decision === "pass" && (last === null || last.decision === "pass")) return null;
  }
  return db.$transaction(async (tx) => {
    const run = await tx.analysisRun.create({
      data: {
        planId,
        wave,
        phase: result.phase,
        at: new Date(result.at),
        decision: result.decision,
        score: result.score,
        summary: result.summary,
        result: result as unknown as Prisma.InputJsonObject,
      },
      select: { id: true },
    });
    await appendAuditEvent(tx, {
      kind: "analysis.completed",
      planId,
      data: { runId: run.id, phase: result.phase, wave, decision: result.decision, score: result.score, summary: result.summary },
    });
    return run.id;
  });
}

/**
 * Whether a canary has been watched long enough for a formal look: every canary node has at
 * least the trend test's minimum of samples since its restart. Until then the look would be
 * inconclusive by construction, and pausing a healthy plan for it helps nobody.
 */
export async function observedLongEnough(options: {
  planId: string;
  since: "restart" | "widen";
}): Promise<{ ready: boolean; detail: string }> {
  const scale = analysisTimeScale();
  const plan = await loadPlan(options.planId);
  const { restartedAt: restarted, widenedAt } = canaryTimes(plan);
  const restartedAt = options.since === "restart" ? restarted : widenedAt;
  if (restartedAt.size === 0)
    return { ready: false, detail: `no canary has ${options.since === "restart" ? "restarted" : "taken traffic"} yet` };
  const counts = await sqlPool().query<{ nodeId: string; n: number }>(
    `SELECT c."nodeId", count(s.id)::int AS n
     FROM unnest($1::text[], $2::timestamptz[]) AS c("nodeId", since)
     LEFT JOIN "MetricSample" s ON s."nodeId" = c."nodeId" AND s."at" >= (c.since AT TIME ZONE 'UTC')
     GROUP BY c."nodeId"`,
    [[...restartedAt.keys()], [...restartedAt.values()].map((at) => new Date(at.getTime() + WARM_UP_MS / scale).toISOString())],
  );
  const fewest = Math.min(...counts.rows.map((row) => row.n));
  if (options.since === "restart") {
    const youngest = Math.max(...[...restartedAt.values()].map((at) => at.getTime()));
    const waitMs = youngest + FIRST_BEFORE_WIDEN_MS / scale - Date.now();
    if (waitMs > 0)
      return {
        ready: false,
        detail: `watching the canary for ${FIRST_BEFORE_WIDEN_MS / 60_000} minutes after its restart first (${Math.ceil((waitMs * scale) / 60_000)} min to go)`,
      };
  }
  return fewest >= TREND_MIN_POINTS
    ? { ready: true, detail: `every canary has ${TREND_MIN_POINTS}+ samples since its ${options.since}` }
    : { ready: false, detail: `collecting canary samples: ${fewest} of ${TREND_MIN_POINTS} since the ${options.since}` };
}
