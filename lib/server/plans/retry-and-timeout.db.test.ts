import { afterEach, describe, expect, it } from "vitest";
import { createAgentClient, type Operation } from "@/lib/protocol";
import { exampleManifests } from "@/lib/releases";
import { activateUntilPlanEnds, describePlan, eventually, startPlanWorld } from "@/prisma/test/plan-fixtures";
import { verifyAuditChain } from "../audit-log";
import { db } from "../db";
import { activateStep } from "./activate-step";
import { approvePlan } from "./approve-plan";
import { createPlan } from "./create-plan";
import { requestBookmarkRestore } from "./restore-bookmark";
import { retryStep } from "./retry-step";

const TARGET = exampleManifests.successor.core;
let world: Awaited<ReturnType<typeof startPlanWorld>> | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function onePlan(options: { stepTimeouts?: Record<string, number> } = {}) {
  const { author, approver, releases } = world!;
  const [nodeId] = await world!.nodeIds();
  const plan = await createPlan({
    actor: author,
    input: {
      title: "one node",
      fromReleaseId: releases.stable.id,
      toReleaseId: releases.successor.id,
      nodeIds: [nodeId!],
      strategy: { kind: "big_bang", holdSeconds: 0 },
      approvalsRequired: 1,
      autoRollback: false,
      ...(options.stepTimeouts ? { stepTimeouts: options.stepTimeouts } : {}),
    },
  });
  await approvePlan({ actor: approver, planId: plan.id });
  const member = world!.fleet.nodes.find((node) => node.role !== "witness")!;
  return { plan, agent: createAgentClient({ url: member.url, secret: member.secret }) };
}

const step = (planId: string, kind: "drain" | "upgrade" | "widen") => db.planStep.findFirstOrThrow({ where: { planId, kind } });

function countByAction(operations: Operation[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const operation of operations) counts[operation.action] = (counts[operation.action] ?? 0) + 1;
  return counts;
}

describe("retrying a failed step", () => {
  it("refuses what cannot be retried, then runs the step again as a new attempt and the plan continues", async () => {
    world = await startPlanWorld({ nodes: 2, faults: { faults: { [TARGET]: { registryTimeouts: 1 } }, nodes: {} } });
    const { approver, author, secondApprover } = world;
    const { plan, agent } = await onePlan();

    const failed = await eventually(
      async () => {
        const upgrade = await step(plan.id, "upgrade");
        return upgrade.status === "failed" && upgrade;
      },
      { what: "the upgrade to fail on the registry timeout" },
    );
    expect(failed.error).toContain("ETIMEDOUT");
    await eventually(async () => (await db.plan.findUniqueOrThrow({ where: { id: plan.id } })).status === "paused", {
      what: "the plan to pause",
    });

    // Bad input: nothing changes, and the 409 says what the state is.
    const drain = await step(plan.id, "drain");
    await expect(retryStep({ actor: approver, planId: plan.id, stepId: drain.id, input: { reason: "again" } })).rejects.toMatchObject({
      code: "conflict",
      message: "This step is succeeded; only a failed step can be retried.",
    });
    await expect(retryStep({ actor: approver, planId: plan.id, stepId: failed.id, input: { reason: " " } })).rejects.toMatchObject({
      name: "ZodError",
    });
    await expect(retryStep({ actor: author, planId: plan.id, stepId: failed.id, input: { reason: "mine" } })).rejects.toMatchObject({
      code: "forbidden",
    });
    expect(await step(plan.id, "upgrade")).toMatchObject({ status: "failed", attempt: 1 });

    expect(
      await retryStep({ actor: approver, planId: plan.id, stepId: failed.id, input: { reason: "registry flaked; it answers again" } }),
    ).toEqual({
      attempt: 2,
    });
    // Exactly once, like activation: a second retry of the same failure finds nothing failed.
    await expect(
      retryStep({ actor: secondApprover, planId: plan.id, stepId: failed.id, input: { reason: "me too" } }),
    ).rejects.toMatchObject({
      code: "conflict",
    });
    expect((await db.plan.findUniqueOrThrow({ where: { id: plan.id } })).status).toBe("running");

    expect(await activateUntilPlanEnds({ actor: approver, planId: plan.id, timeoutMs: 40_000 }), await describePlan(plan.id)).toBe(
      "completed",
    );

    expect(await step(plan.id, "upgrade")).toMatchObject({ status: "succeeded", attempt: 2, error: null });
    expect((await agent.readiness()).installed.core).toBe(TARGET);
    // Counted on the agent: the failed attempt and the retry are two upgrades; nothing else repeated.
    expect(countByAction(await agent.operations())).toEqual({
      drain: 1,
      upgrade: 2,
      doctor: 1,
      restart: 1,
      verify: 1,
      "set-weight": 1,
      undrain: 1,
    });
    const retried = await db.auditEvent.findFirstOrThrow({ where: { planId: plan.id, kind: "step.retried" } });
    expect(retried.actorEmail).toBe(approver.email);
    expect(retried.data).toMatchObject({ attempt: 2, reason: "registry flaked; it answers again", kind: "upgrade" });

    // A finished plan: activations and retries are refused with its state; a restore during a restore is refused too.
    const widen = await step(plan.id, "widen");
    await expect(activateStep({ actor: approver, planId: plan.id, stepId: widen.id })).rejects.toMatchObject({
      code: "conflict",
      message: "The plan is completed; steps can be activated only while it runs.",
    });
    const bookmark = await db.bookmark.findFirstOrThrow({ where: { planId: plan.id, label: "before plan start" } });
    await requestBookmarkRestore({ actor: approver, bookmarkId: bookmark.id, reason: "undo" });
    await expect(requestBookmarkRestore({ actor: approver, bookmarkId: bookmark.id, reason: "undo twice" })).rejects.toMatchObject({
      code: "conflict",
    });
    expect(await db.bookmarkRestore.count({ where: { bookmarkId: bookmark.id } })).toBe(1);
    expect((await verifyAuditChain()).firstBreak).toBeNull();
  }, 90_000);
});

describe("step timeouts", () => {
  it("cancels the agent operation of a step that runs out of time, fails it with the reason, and pauses the plan", async () => {
    // The migration would take an hour (72 s at the simulator's speed); the plan allows 10 s.
    world = await startPlanWorld({ nodes: 2, faults: { faults: { [TARGET]: { slowMigrationMs: 3_600_000 } }, nodes: {} }, history: false });
    const { plan, agent } = await onePlan({ stepTimeouts: { upgrade: 10 } });

    const upgrade = await eventually(
      async () => {
        const current = await step(plan.id, "upgrade");
        return current.status === "failed" && current;
      },
      { what: "the upgrade to time out", timeoutMs: 30_000 },
    );
    expect(upgrade.error).toMatch(
      /^Timed out: upgrade on \S+ did not finish within 10 s \(attempt 1\)\. Operation op_\w+ \(upgrade\) was cancelled on the agent\.$/,
    );
    expect(upgrade.finishedAt!.getTime() - upgrade.startedAt!.getTime()).toBeLessThan(20_000);

    // On the node: the operation ended cancelled, and the node takes new work (it is not left claimed).
    const operation = (await agent.operations()).find((candidate) => candidate.action === "upgrade")!;
    expect(operation).toMatchObject({ status: "failed", error: { code: "cancelled" } });
    expect((await agent.setWeight({ weight: 5 })).operation.status).not.toBe("failed");
    const cancelled = await db.auditEvent.findFirstOrThrow({ where: { planId: plan.id, kind: "agent.cancelled" } });
    expect(cancelled.data).toMatchObject({ operationId: operation.id, code: "cancelled" });

    await eventually(
      async () => {
        const current = await db.plan.findUniqueOrThrow({ where: { id: plan.id } });
        return current.status === "paused" && current;
      },
      { what: "the plan to pause on the timeout" },
    );
    expect((await db.plan.findUniqueOrThrow({ where: { id: plan.id } })).statusReason).toContain("Timed out: upgrade");
  }, 60_000);
});
