import { describe, expect, it } from "vitest";
import { planTransitionRows } from "@/lib/plans/transition-plan";
import { stepTransitionRows } from "@/lib/plans/transition-step";
import { exampleManifests } from "@/lib/releases";
import { createNode, createUser } from "@/prisma/factories";
import { db, sqlPool } from "../db";
import { createRelease } from "../releases";
import { applyPlanEvent, applyPlanEventOrThrow, applyStepEvent } from "./apply-status";
import { controlPlan } from "./control-plan";
import { createPlan } from "./create-plan";
import { runPlanStep } from "./run-plan-step";

/** A one-node big-bang plan whose node has no agent behind it: nothing here may call one. */
async function draftPlan() {
  const author = await createUser(db, { role: "operator" });
  const approver = await createUser(db, { role: "approver" });
  const node = await createNode(db, { role: "canary" });
  const from = (await createRelease({ actor: author, source: { manifest: exampleManifests.stable } })).release;
  const to = (await createRelease({ actor: author, source: { manifest: exampleManifests.successor } })).release;
  const plan = await createPlan({
    actor: author,
    input: {
      title: "applier",
      fromReleaseId: from.id,
      toReleaseId: to.id,
      nodeIds: [node.id],
      strategy: { kind: "big_bang", holdSeconds: 0 },
      approvalsRequired: 1,
      autoRollback: false,
    },
  });
  const steps = await db.planStep.findMany({ where: { planId: plan.id }, orderBy: { seq: "asc" } });
  return { plan, steps, author, approver, node };
}

async function runningPlanWithRunningDrain() {
  const world = await draftPlan();
  const drain = world.steps.find((step) => step.kind === "drain")!;
  await db.$transaction(async (tx) => {
    await applyPlanEventOrThrow(tx, { planId: world.plan.id, event: "approve" });
    await applyPlanEventOrThrow(tx, { planId: world.plan.id, event: "start" });
    const begun = await applyStepEvent(tx, { stepId: drain.id, event: "begin", fields: { startedAt: new Date() } });
    expect(begun).toEqual({ ok: true, from: "pending", to: "running" });
  });
  return { ...world, drain };
}

/** Asserts the database refused a write as a check violation whose message says `why`. */
function expectRefused(error: { code?: string; message: string } | null, why: string) {
  expect(error?.code).toBe("23514");
  expect(error?.message).toContain(why);
}

/** The database error a refused raw write raises. */
async function rawWrite(sql: string, ...params: unknown[]) {
  return sqlPool()
    .query(sql, params)
    .then(
      () => null,
      (error: { code?: string; message: string }) => error,
    );
}

describe("the status tables in the database", () => {
  it("hold exactly the transition tables of lib/plans", async () => {
    const rows = await db.statusTransition.findMany();
    const inDb = rows.map((row) => `${row.machine} ${row.mode} ${row.from} ${row.event} ${row.to}`).sort();
    const inCode = [
      ...planTransitionRows().map((row) => `plan  ${row.from} ${row.event} ${row.to}`),
      ...stepTransitionRows().map((row) => `step ${row.mode} ${row.from} ${row.event} ${row.to}`),
    ].sort();
    expect(inDb).toEqual(inCode);
  });

  it("refuse an illegal plan or step status written around the applier", async () => {
    const { plan, steps } = await draftPlan();
    const jump = await rawWrite(`UPDATE "Plan" SET status = 'running' WHERE id = $1`, plan.id);
    expectRefused(jump, "illegal plan status change draft -> running");
    const skipAhead = await rawWrite(`UPDATE "PlanStep" SET status = 'succeeded' WHERE id = $1`, steps[0]!.id);
    expectRefused(skipAhead, "illegal prepare step status change pending -> succeeded");
    // An activate step has no way to running but the click.
    const restart = steps.find((step) => step.kind === "restart")!;
    expect(await rawWrite(`UPDATE "PlanStep" SET status = 'running' WHERE id = $1`, restart.id)).toMatchObject({ code: "23514" });
    // Through Prisma too: the guard is in the database, not in one client.
    await expect(db.plan.update({ where: { id: plan.id }, data: { status: "completed" } })).rejects.toThrow(/illegal plan status change/);
    expect((await db.plan.findUniqueOrThrow({ where: { id: plan.id } })).status).toBe("draft");
    expect((await db.planStep.findUniqueOrThrow({ where: { id: steps[0]!.id } })).status).toBe("pending");
  });

  it("refuse a plan or step created in any status but its first", async () => {
    const { plan, steps } = await draftPlan();
    const copy = await rawWrite(
      `INSERT INTO "Plan" (id, title, "fromReleaseId", "toReleaseId", strategy, guardrails, waves, "authorId", status, "updatedAt")
       SELECT 'copy', title, "fromReleaseId", "toReleaseId", strategy, guardrails, waves, "authorId", 'running', now() FROM "Plan" WHERE id = $1`,
      plan.id,
    );
    expectRefused(copy, "a plan starts as draft");
    const step = await rawWrite(
      `INSERT INTO "PlanStep" (id, "planId", "nodeId", wave, seq, kind, mode, status)
       SELECT 'copy', "planId", "nodeId", wave, 99, kind, mode, 'succeeded' FROM "PlanStep" WHERE id = $1`,
      steps[0]!.id,
    );
    expectRefused(step, "starts as pending");
  });
});

describe("the status applier", () => {
  it("moves only by the tables and says why it refuses, changing nothing", async () => {
    const { plan, steps } = await draftPlan();
    await db.$transaction(async (tx) => {
      expect(await applyPlanEvent(tx, { planId: plan.id, event: "start" })).toMatchObject({
        ok: false,
        code: "illegal_transition",
        from: "draft",
        message: "A draft plan can't start; it can approve, abort.",
      });
      // A step cannot start in a plan that is not running, even by a legal step move.
      expect(await applyStepEvent(tx, { stepId: steps[0]!.id, event: "begin" })).toMatchObject({
        ok: false,
        code: "plan_state",
        from: "pending",
      });
      expect(await applyPlanEvent(tx, { planId: "missing", event: "approve" })).toMatchObject({ ok: false, code: "not_found" });
    });
    await expect(db.$transaction((tx) => applyPlanEventOrThrow(tx, { planId: plan.id, event: "complete" }))).rejects.toMatchObject({
      code: "conflict",
    });
    expect((await db.plan.findUniqueOrThrow({ where: { id: plan.id } })).status).toBe("draft");
    expect((await db.planStep.findUniqueOrThrow({ where: { id: steps[0]!.id } })).status).toBe("pending");
  });

  it("hands a running step back when its job finds the plan paused, to run again as the same attempt", async () => {
    const { plan, drain, author } = await runningPlanWithRunningDrain();
    await controlPlan({ actor: author, planId: plan.id, control: "pause" });
    await runPlanStep(drain.id);
    expect(await db.planStep.findUniqueOrThrow({ where: { id: drain.id } })).toMatchObject({
      status: "pending",
      attempt: 1,
      startedAt: null,
    });
    expect(await db.auditEvent.count({ where: { planId: plan.id, kind: "step.handed_back" } })).toBe(1);
  });

  it("lets a stale job on an aborted plan change nothing, and the database refuses the move it used to make", async () => {
    const { plan, drain, steps, author } = await runningPlanWithRunningDrain();
    await controlPlan({ actor: author, planId: plan.id, control: "abort" });
    const before = await db.planStep.findMany({ where: { planId: plan.id }, orderBy: { seq: "asc" } });
    expect(before.find((step) => step.id === drain.id)?.status).toBe("running");
    expect(before.filter((step) => step.id !== drain.id).every((step) => step.status === "skipped")).toBe(true);

    // The job that outlived a crash runs now: the node (no agent here) and every row stay as they were.
    await runPlanStep(drain.id);
    const after = await db.planStep.findMany({ where: { planId: plan.id }, orderBy: { seq: "asc" } });
    expect(after).toEqual(before);
    expect((await db.plan.findUniqueOrThrow({ where: { id: plan.id } })).status).toBe("aborted");
    expect(await db.auditEvent.count({ where: { planId: plan.id, kind: { startsWith: "agent." } } })).toBe(0);
    expect(await db.auditEvent.count({ where: { planId: plan.id, kind: "step.job_dropped" } })).toBe(1);

    // What the stale job of the field report did (running → awaiting_activation, or pending) is refused below the applier.
    const handBack = await rawWrite(`UPDATE "PlanStep" SET status = 'pending' WHERE id = $1`, drain.id);
    expectRefused(handBack, "is aborted");
    await db.$transaction(async (tx) => {
      expect(await applyStepEvent(tx, { stepId: drain.id, event: "hand_back" })).toMatchObject({ ok: false, code: "plan_state" });
      expect(await applyStepEvent(tx, { stepId: steps[1]!.id, event: "retry" })).toMatchObject({ ok: false, code: "illegal_transition" });
    });
    // Recording how an operation that was in flight ended is still allowed: that is history, not a move back.
    await db.$transaction(async (tx) => {
      expect(await applyStepEvent(tx, { stepId: drain.id, event: "succeed", fields: { finishedAt: new Date() } })).toMatchObject({
        ok: true,
      });
    });
  });
});
