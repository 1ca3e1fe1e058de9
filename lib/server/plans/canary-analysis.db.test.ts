import { afterEach, describe, expect, it } from "vitest";
import type { SimFault } from "@/lib/agent/drivers/sim/sim-faults-schema";
import type { AnalysisMetricKey, AnalysisResult } from "@/lib/analysis";
import { exampleManifests } from "@/lib/releases";
import { activateUntilPlanEnds, describePlan, eventually, startPlanWorld } from "@/prisma/test/plan-fixtures";
import { verifyAuditChain } from "../audit-log";
import { db } from "../db";
import { createRelease } from "../releases";
import { activateStep } from "./activate-step";
import { approvePlan } from "./approve-plan";
import { createPlan } from "./create-plan";

let world: Awaited<ReturnType<typeof startPlanWorld>> | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

/**
 * The simulator's fault matrix, one release per fault (faults are keyed by core version), and the
 * metric whose failure must stop it. The leak is the field report's 2 GB → 8 GB over 4 h.
 */
const MATRIX: { name: string; core: string; fault: SimFault | null; caughtBy: AnalysisMetricKey | null }[] = [
  { name: "healthy", core: "2026.11.30", fault: null, caughtBy: null },
  {
    name: "leak",
    core: "2026.11.31",
    fault: { memoryLeak: { fromBytes: 2e9, toBytes: 8e9, overMs: 4 * 3600 * 1000 } },
    caughtBy: "memoryPercent",
  },
  { name: "latency", core: "2026.11.32", fault: { latencyRegression: { factor: 1.3 } }, caughtBy: "p95Ms" },
  { name: "errors", core: "2026.11.33", fault: { errorRateRise: { percentagePoints: 3 } }, caughtBy: "errorRate" },
  { name: "tokens", core: "2026.11.34", fault: { tokenSpendRise: { factor: 1.25 } }, caughtBy: "tokensPerTask" },
  { name: "eval", core: "2026.11.35", fault: { evalDrop: { score: 0.85, failKinds: [] } }, caughtBy: "evalScore" },
];

/** The metrics a look held against the canary: a failing judgement, a breached limit, a trend that crosses. */
function heldAgainst(result: AnalysisResult): AnalysisMetricKey[] {
  return [
    ...result.metrics.filter((metric) => metric.verdict === "fail" || metric.verdict === "critical").map((metric) => metric.key),
    ...result.limits.filter((limit) => limit.status === "breached").map((limit) => limit.key),
    ...result.trends.filter((trend) => trend.status === "fail").map((trend) => trend.key),
  ];
}

// Stopped: rolled back by itself (a fail), or paused for an approver (a marginal look).
const STOPPED = ["rolled_back", "paused"] as const;

describe("the canary judge over real agents and the real job queue", () => {
  it("stops every bad release of the fault matrix before the first widen beyond the canary, and lets a healthy one complete", async () => {
    world = await startPlanWorld({
      nodes: MATRIX.length * 2 + 1,
      faults: { faults: Object.fromEntries(MATRIX.filter((entry) => entry.fault).map((entry) => [entry.core, entry.fault!])), nodes: {} },
    });
    const { author, approver, releases } = world;
    const nodeIds = await world.nodeIds();
    const plans: ((typeof MATRIX)[number] & { planId: string })[] = [];
    for (const [index, entry] of MATRIX.entries()) {
      const release = (
        await createRelease({
          actor: author,
          source: { manifest: { ...exampleManifests.successor, name: `${entry.core}-r1`, core: entry.core } },
        })
      ).release;
      const plan = await createPlan({
        actor: author,
        input: {
          title: entry.name,
          fromReleaseId: releases.stable.id,
          toReleaseId: release.id,
          nodeIds: nodeIds.slice(index * 2, index * 2 + 2),
          strategy: {
            kind: "rolling_canary",
            stages: [
              // A quarter of an hour of fleet time on the canary: enough tasks to tell +3 pp of errors from noise.
              { percent: 50, holdSeconds: 15 },
              { percent: 100, holdSeconds: 0 },
            ],
          },
          approvalsRequired: 1,
          autoRollback: true,
        },
      });
      plans.push({ ...entry, planId: plan.id });
    }
    for (const plan of plans) await approvePlan({ actor: approver, planId: plan.planId });

    // An approver clicks every activation the judge allows, on every plan, until each one ends.
    await eventually(
      async () => {
        const open = await db.planStep.findMany({
          where: { planId: { in: plans.map((plan) => plan.planId) }, status: "awaiting_activation" },
        });
        for (const step of open) await activateStep({ actor: approver, planId: step.planId, stepId: step.id }).catch(() => undefined);
        const ended = await db.plan.count({
          where: { id: { in: plans.map((plan) => plan.planId) }, status: { in: ["completed", ...STOPPED] } },
        });
        return ended === plans.length;
      },
      { what: "every plan to complete, or stop for an approver or roll back", timeoutMs: 120_000 },
    );

    for (const plan of plans) {
      const { status } = await db.plan.findUniqueOrThrow({ where: { id: plan.planId }, select: { status: true } });
      const secondWaveWidens = await db.planStep.count({ where: { planId: plan.planId, wave: 1, kind: "widen", status: "succeeded" } });
      const stoppedBy = await db.analysisRun.findFirst({
        where: { planId: plan.planId, decision: { not: "pass" } },
        orderBy: { at: "asc" },
      });
      if (plan.caughtBy === null) {
        expect({ plan: plan.name, status, stoppedBy: stoppedBy?.summary ?? null }).toEqual({
          plan: plan.name,
          status: "completed",
          stoppedBy: null,
        });
        continue;
      }
      expect({ plan: plan.name, stopped: (STOPPED as readonly string[]).includes(status), secondWaveWidens }).toEqual({
        plan: plan.name,
        stopped: true,
        secondWaveWidens: 0,
      });
      expect(stoppedBy && heldAgainst(stoppedBy.result as unknown as AnalysisResult), `what stopped ${plan.name}`).toContain(plan.caughtBy);
    }
    expect((await verifyAuditChain()).firstBreak).toBeNull();
  }, 180_000);

  it("reads a canary that stopped answering the collector as inconclusive, never as a pass, and pauses the plan", async () => {
    world = await startPlanWorld({ nodes: 3 });
    const { author, approver } = world;
    const plan = await createPlan({
      actor: author,
      input: await world.draft({
        title: "canary goes silent",
        strategy: {
          kind: "rolling_canary",
          stages: [
            { percent: 50, holdSeconds: 0 },
            { percent: 100, holdSeconds: 0 },
          ],
        },
      }),
    });
    await approvePlan({ actor: approver, planId: plan.id });
    const restart = await eventually(
      () => db.planStep.findFirst({ where: { planId: plan.id, kind: "restart", status: "awaiting_activation" } }),
      { what: "the canary's restart to await activation", explain: () => describePlan(plan.id) },
    );
    await activateStep({ actor: approver, planId: plan.id, stepId: restart.id });
    await eventually(() => db.planStep.findFirst({ where: { planId: plan.id, kind: "widen", status: "awaiting_activation" } }), {
      what: "the canary's widen to await activation",
      explain: () => describePlan(plan.id),
    });

    // The canary's agent goes away: its last samples stay in Postgres, looking as healthy as ever.
    const canaryName = (await db.node.findUniqueOrThrow({ where: { id: restart.nodeId } })).name;
    await world.fleet.nodes.find((node) => node.name === canaryName)!.agent.close();

    await eventually(async () => (await db.plan.findUniqueOrThrow({ where: { id: plan.id } })).status === "paused", {
      what: "the plan to pause",
      timeoutMs: 30_000,
      explain: () => describePlan(plan.id),
    });
    const look = await db.analysisRun.findFirstOrThrow({ where: { planId: plan.id, decision: { not: "pass" } }, orderBy: { at: "asc" } });
    expect(look.decision).toBe("inconclusive");
    expect(JSON.stringify(look.result)).toContain(`no answer to the collector`);
    expect((await db.plan.findUniqueOrThrow({ where: { id: plan.id } })).statusReason).toMatch(/needs an approver: Inconclusive/);
    expect(await db.planStep.count({ where: { planId: plan.id, kind: "widen", status: "succeeded" } })).toBe(0);
  }, 90_000);

  it("restarts a fresh baseline with the canary when asked, judges the canary against it alone, and refuses one without a second wave", async () => {
    world = await startPlanWorld({ nodes: 4 });
    const { author, approver } = world;
    const nodeIds = await world.nodeIds();
    const input = (strategy: object) => world!.draft({ title: "fresh baseline", strategy, analysis: { freshBaseline: true } });
    await expect(createPlan({ actor: author, input: await input({ kind: "big_bang", holdSeconds: 0 }) })).rejects.toMatchObject({
      code: "invalid_input",
      fieldErrors: { "analysis.freshBaseline": [expect.stringContaining("this plan has one wave")] },
    });

    const plan = await createPlan({
      actor: author,
      input: await input({
        kind: "rolling_canary",
        stages: [
          { percent: 34, holdSeconds: 0 },
          { percent: 100, holdSeconds: 0 },
        ],
      }),
    });
    await approvePlan({ actor: approver, planId: plan.id });
    const [canaryId, freshId] = nodeIds as [string, string];
    const restartCalls = async (nodeId: string) =>
      (await db.auditEvent.findMany({ where: { kind: "agent.call", nodeId } })).filter(
        (event) => (event.data as { action: string }).action === "restart",
      ).length;

    expect(await activateUntilPlanEnds({ actor: approver, planId: plan.id }), await describePlan(plan.id)).toBe("completed");

    const fresh = await db.planNode.findUniqueOrThrow({ where: { planId_nodeId: { planId: plan.id, nodeId: freshId } } });
    const canaryRestart = await db.planStep.findFirstOrThrow({ where: { planId: plan.id, nodeId: canaryId, kind: "restart" } });
    expect(fresh.baselineRestartedAt).not.toBeNull();
    expect(Math.abs(fresh.baselineRestartedAt!.getTime() - canaryRestart.finishedAt!.getTime())).toBeLessThan(2_000);
    // Once with the canary, once for its own upgrade; the canary and the third node once each.
    expect(await restartCalls(freshId)).toBe(2);
    expect(await restartCalls(canaryId)).toBe(1);

    const look = await db.analysisRun.findFirstOrThrow({ where: { planId: plan.id, phase: "before_widen", wave: 0 } });
    const result = look.result as unknown as AnalysisResult;
    expect(result.baselineNodeIds).toEqual([freshId]);
    expect(result.comparisonBasis).toMatch(/the baseline is a fresh baseline, restarted with the canary$/);
    // The next wave's looks go back to the stable nodes (the witness): the fresh baseline is upgraded by then.
    const later = await db.analysisRun.findFirstOrThrow({ where: { planId: plan.id, phase: "before_widen", wave: 1 } });
    expect((later.result as unknown as AnalysisResult).baselineNodeIds).not.toContain(freshId);
    expect(await db.auditEvent.count({ where: { planId: plan.id, kind: "analysis.fresh_baseline_restarted", nodeId: freshId } })).toBe(1);
  }, 120_000);
});
