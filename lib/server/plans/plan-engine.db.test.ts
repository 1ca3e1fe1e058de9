import { afterEach, describe, expect, it } from "vitest";
import { createAgentClient } from "@/lib/protocol";
import { activateUntilPlanEnds, describePlan, eventually, startPlanWorld } from "@/prisma/test/plan-fixtures";
import { verifyAuditChain } from "../audit-log";
import { db } from "../db";
import { activateStep } from "./activate-step";
import { approvePlan } from "./approve-plan";
import { createPlan } from "./create-plan";

let world: Awaited<ReturnType<typeof startPlanWorld>> | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
  delete process.env.ROLLBOOK_GUARDRAIL_WATCH_MS;
});

async function awaitingSteps(planId: string) {
  return db.planStep.findMany({ where: { planId, status: "awaiting_activation" }, orderBy: { seq: "asc" } });
}

async function planStatus(planId: string) {
  return (await db.plan.findUniqueOrThrow({ where: { id: planId } })).status;
}

describe("the plan engine over real agents and the real job worker", () => {
  it("runs prepare steps by itself, waits for clicks, activates exactly once, and completes", async () => {
    world = await startPlanWorld({ nodes: 4 });
    const { author, approver, secondApprover } = world;
    const plan = await createPlan({ actor: author, input: await world.draft({ guardrails: { maxMemoryPercent: 95 } }) });

    await expect(approvePlan({ actor: { ...author, role: "approver" }, planId: plan.id })).rejects.toMatchObject({ code: "forbidden" });
    await approvePlan({ actor: approver, planId: plan.id });

    // Prepare steps (drain, upgrade, doctor) run by themselves, then the restart waits for a click.
    const [restart] = await eventually(
      async () => {
        const steps = await awaitingSteps(plan.id);
        return steps.length > 0 && steps;
      },
      { what: "the first restart to await activation" },
    );
    expect(restart!.kind).toBe("restart");
    const done = await db.planStep.findMany({ where: { planId: plan.id, status: "succeeded" }, orderBy: { seq: "asc" } });
    expect(done.map((step) => step.kind)).toEqual(["drain", "upgrade", "doctor"]);

    // Two approvers click at the same moment: one wins, one gets a conflict, the agent is called once.
    const clicks = await Promise.allSettled([
      activateStep({ actor: approver, planId: plan.id, stepId: restart!.id }),
      activateStep({ actor: secondApprover, planId: plan.id, stepId: restart!.id }),
      activateStep({ actor: approver, planId: plan.id, stepId: restart!.id }),
    ]);
    expect(clicks.filter((click) => click.status === "fulfilled")).toHaveLength(1);
    expect(
      clicks
        .filter((click) => click.status === "rejected")
        .map((click) => click.reason as { code: string })
        .map((reason) => reason.code),
    ).toEqual(["conflict", "conflict"]);

    // Click every activation as it comes until the plan completes.
    expect(await activateUntilPlanEnds({ actor: approver, planId: plan.id }), await describePlan(plan.id)).toBe("completed");

    for (const member of world.fleet.nodes.filter((node) => node.role !== "witness")) {
      const readiness = await createAgentClient({ url: member.url, secret: member.secret }).readiness();
      expect(readiness.installed.core).toBe("2026.11.3");
      expect(readiness.lb).toEqual({ weight: 100, drained: false });
    }
    const restartCalls = await db.auditEvent.findMany({ where: { kind: "agent.call", nodeId: restart!.nodeId } });
    expect(restartCalls.filter((event) => (event.data as { action: string }).action === "restart")).toHaveLength(1);
    expect(await db.planStep.count({ where: { planId: plan.id, status: { not: "succeeded" } } })).toBe(0);
    expect(await db.bookmark.count({ where: { planId: plan.id, label: "before plan start" } })).toBe(1);
    expect((await verifyAuditChain()).firstBreak).toBeNull();
  }, 90_000);

  it("stops a leaking release by itself and restores every node to its pre-plan release", async () => {
    process.env.ROLLBOOK_GUARDRAIL_WATCH_MS = "300";
    // The leaky release climbs from 2 GB to 8 GB over 40 simulated minutes (40 s at the world's 60×).
    world = await startPlanWorld({
      nodes: 4,
      faults: { faults: { "2026.11.4": { memoryLeak: { fromBytes: 2e9, toBytes: 8e9, overMs: 40 * 60 * 1000 } } }, nodes: {} },
    });
    const { author, approver, releases } = world;
    const plan = await createPlan({
      actor: author,
      input: {
        title: "stable → leaky",
        fromReleaseId: releases.stable.id,
        toReleaseId: releases.leaky.id,
        nodeIds: await world.nodeIds(),
        strategy: {
          kind: "rolling_canary",
          stages: [
            { percent: 34, holdSeconds: 600 },
            { percent: 100, holdSeconds: 0 },
          ],
        },
        guardrails: { maxMemoryPercent: 75 },
        approvalsRequired: 1,
        autoRollback: true,
      },
    });
    await approvePlan({ actor: approver, planId: plan.id });

    // Approve the canary's restart and widen; the guardrail watch does the rest.
    await eventually(
      async () => {
        for (const step of await awaitingSteps(plan.id)) {
          await activateStep({ actor: approver, planId: plan.id, stepId: step.id }).catch(() => undefined);
        }
        return (await planStatus(plan.id)) === "rolled_back";
      },
      { what: "the plan to roll back by itself", timeoutMs: 60_000, explain: () => describePlan(plan.id) },
    );

    // The canary judge saw it before the absolute limit did: a failed analysis on memory.
    const failed = await db.analysisRun.findFirstOrThrow({ where: { planId: plan.id, decision: "fail" }, orderBy: { at: "asc" } });
    expect(failed.summary).toContain("memory");
    expect(await db.auditEvent.count({ where: { planId: plan.id, kind: "gate.tripped" } })).toBe(0);
    const restore = await db.bookmarkRestore.findFirstOrThrow({ where: { bookmark: { planId: plan.id } }, include: { bookmark: true } });
    expect(restore).toMatchObject({ automatic: true, status: "succeeded", actorId: null });
    expect(restore.bookmark.label).toBe("before plan start");
    for (const member of world.fleet.nodes) {
      const readiness = await createAgentClient({ url: member.url, secret: member.secret }).readiness();
      expect(readiness.installed.core).toBe("2026.11.2");
      expect(readiness.lb).toEqual({ weight: 100, drained: false });
    }
    // The second wave never started.
    const secondWave = await db.planStep.findMany({ where: { planId: plan.id, wave: 1 } });
    expect(secondWave.every((step) => step.status === "skipped")).toBe(true);
  }, 90_000);
});
