import "server-only";
import { evaluateWidenGate } from "@/lib/plans/evaluate-widen-gate";
import { nextRunnableSteps, type NextAction } from "@/lib/plans/next-runnable-steps";
import type { PlanGuardrails } from "@/lib/plans/plan-guardrails-schema";
import type { Plan } from "@/lib/generated/prisma/client";
import { appendAuditEvent, recordAuditEvent } from "../audit-log";
import { db, type DbTransaction } from "../db";
import { enqueueJob } from "../jobs/job-queue";
import { applyPlanEvent, applyStepEvent } from "./apply-status";
import { captureBookmark } from "./capture-bookmark";
import { judgePlanCanary } from "./judge-plan-canary";
import { collectGateNodes } from "./collect-gate-nodes";
import { lockPlanOrThrow } from "./lock-plan";
import { releaseLock } from "./release-lock";
import { requestBookmarkRestore } from "./restore-bookmark";
import { stepTimeoutAt } from "./step-timeout-at";

/** While a plan runs, guardrails are re-checked this often, between clicks and during holds too. */
function guardrailWatchMs(): number {
  return Number(process.env.ROLLBOOK_GUARDRAIL_WATCH_MS ?? 5_000);
}

const PLAN_START_BOOKMARK = "before plan start";
const START_RETRY_MS = 10_000;

type PlanWave = { index: number; holdSeconds: number };

async function planTargets(planId: string) {
  const rows = await db.planNode.findMany({ where: { planId }, include: { node: true } });
  return rows.map(({ node }) => ({ id: node.id, name: node.name, agentUrl: node.agentUrl, agentSecret: node.agentSecret }));
}

/**
 * Stops a plan that cannot go on. With auto-rollback the plan's start bookmark is restored by
 * itself: a failed gate or step condemns the target release, so every node goes back to what it
 * ran before the plan, not merely to the state before the last step (which already had nodes on
 * the new release). Without it, the plan pauses for a human.
 */
async function haltPlan(plan: Plan, reason: string, rollback = plan.autoRollback): Promise<void> {
  const startBookmark = await db.bookmark.findFirst({
    where: { planId: plan.id, scope: "plan", label: PLAN_START_BOOKMARK },
    orderBy: { capturedAt: "asc" },
  });
  if (rollback && startBookmark) {
    const restoring = await db.bookmarkRestore.findFirst({ where: { bookmark: { planId: plan.id }, status: "running" } });
    if (!restoring) await requestBookmarkRestore({ actor: null, bookmarkId: startBookmark.id, reason });
    return;
  }
  await db.$transaction(async (tx) => {
    const paused = await applyPlanEvent(tx, { planId: plan.id, event: "pause", fields: { statusReason: reason } });
    if (!paused.ok) return;
    await appendAuditEvent(tx, { kind: "plan.paused", planId: plan.id, data: { reason, automatic: true } });
  });
}

/** Guardrails over every node already restarted on the new release; null when all hold. */
async function guardrailBreach(plan: Plan): Promise<string | null> {
  const guardrails = plan.guardrails as PlanGuardrails;
  if (Object.keys(guardrails).length === 0) return null;
  const restarted = await db.planStep.findMany({
    where: { planId: plan.id, kind: "restart", status: "succeeded" },
    select: { nodeId: true },
  });
  if (restarted.length === 0) return null;
  const ids = new Set(restarted.map((row) => row.nodeId));
  const targets = (await planTargets(plan.id)).filter((target) => ids.has(target.id));
  const release = await db.release.findUniqueOrThrow({ where: { id: plan.toReleaseId }, select: { manifest: true } });
  const nodes = await collectGateNodes(targets);
  const result = evaluateWidenGate({
    targetCoreVersion: releaseLock(release.manifest).core,
    now: new Date(),
    freshnessMs: 60_000,
    nodes,
    guardrails,
  });
  const breaches = result.failures.filter((failure) => failure.code === "guardrail");
  if (breaches.length === 0) return null;
  await recordAuditEvent({
    kind: "gate.tripped",
    planId: plan.id,
    data: { gate: "guardrail-watch", nodes: nodes.map((node) => node.name), failures: breaches.map((failure) => ({ ...failure })) },
  });
  return `Guardrail tripped: ${breaches.map((failure) => failure.message).join(" ")}`;
}

/** Applies one decision of nextRunnableSteps inside the plan's lock; returns false when done for now. */
async function applyNextAction(
  tx: DbTransaction,
  plan: Plan,
  action: NextAction,
): Promise<{ again: boolean; halt?: string; wakeAt?: Date }> {
  switch (action.kind) {
    case "start": {
      const started = await applyPlanEvent(tx, { planId: plan.id, event: "start", fields: { startedAt: new Date(), statusReason: null } });
      if (!started.ok) return { again: false };
      await appendAuditEvent(tx, { kind: "plan.started", planId: plan.id });
      return { again: true };
    }
    case "run": {
      const steps = await tx.planStep.findMany({ where: { id: { in: action.stepIds } }, select: { id: true, kind: true } });
      for (const step of steps) {
        const now = new Date();
        const timeoutAt = await stepTimeoutAt(tx, { planId: plan.id, kind: step.kind, from: now });
        const begun = await applyStepEvent(tx, { stepId: step.id, event: "begin", fields: { startedAt: now, timeoutAt } });
        if (begun.ok) await enqueueJob(tx, "run-step", { stepId: step.id }, { jobKey: `step:${step.id}` });
      }
      return { again: false };
    }
    case "await_activation": {
      const ready: string[] = [];
      for (const stepId of action.stepIds) if ((await applyStepEvent(tx, { stepId, event: "step_ready" })).ok) ready.push(stepId);
      const steps = await tx.planStep.findMany({ where: { id: { in: ready } }, include: { node: { select: { name: true } } } });
      for (const step of steps) {
        await appendAuditEvent(tx, {
          kind: "step.awaiting_activation",
          planId: plan.id,
          nodeId: step.nodeId,
          data: { stepId: step.id, kind: step.kind, node: step.node.name },
        });
      }
      return { again: false };
    }
    case "wait":
      return { again: false, wakeAt: action.until };
    case "complete": {
      const completed = await applyPlanEvent(tx, {
        planId: plan.id,
        event: "complete",
        fields: { finishedAt: new Date(), statusReason: "All nodes upgraded" },
      });
      if (!completed.ok) return { again: false };
      await appendAuditEvent(tx, { kind: "plan.completed", planId: plan.id });
      return { again: false };
    }
    case "halted": {
      const failed = await tx.planStep.findMany({ where: { id: { in: action.stepIds } }, include: { node: { select: { name: true } } } });
      const detail = failed.map((step) => `${step.kind} on ${step.node.name}: ${step.error ?? step.status}`).join("; ");
      return { again: false, halt: `Stopped (${action.reason.replace("_", " ")}): ${detail}` };
    }
    case "idle":
      return { again: false };
  }
}

/**
 * The plan runner's heartbeat, a durable job keyed per plan (so at most one is pending). It takes
 * the plan's row lock, asks the pure planner what to do next and does it, until the answer is to
 * wait. While the plan runs it also watches the guardrails and reschedules itself, so a leaking
 * release stops the rollout even when nobody is clicking.
 */
export async function runPlanTick(planId: string): Promise<void> {
  let plan = await db.plan.findUnique({ where: { id: planId } });
  if (!plan) return;

  if (plan.status === "approved") {
    const hasStartBookmark = await db.bookmark.findFirst({ where: { planId, label: PLAN_START_BOOKMARK }, select: { id: true } });
    if (!hasStartBookmark) {
      try {
        const release = await db.release.findUniqueOrThrow({ where: { id: plan.fromReleaseId }, select: { manifestSha256: true } });
        await captureBookmark({
          planId,
          stepId: null,
          scope: "plan",
          label: PLAN_START_BOOKMARK,
          releaseSha256: release.manifestSha256,
          nodes: await planTargets(planId),
        });
      } catch (error) {
        // No way back means no way forward: leave the plan approved, say why, and try again shortly
        // (a node that was restarting comes back); abort is always available to give up.
        const reason = `Cannot start yet: ${error instanceof Error ? error.message : String(error)} Retrying every ${START_RETRY_MS / 1000} s.`;
        if (plan.statusReason !== reason) {
          await db.plan.update({ where: { id: planId }, data: { statusReason: reason } });
          await recordAuditEvent({ kind: "plan.start_blocked", planId, data: { reason } });
        }
        await db.$transaction((tx) =>
          enqueueJob(
            tx,
            "plan-tick",
            { planId },
            { jobKey: `plan:${planId}`, runAt: new Date(Date.now() + START_RETRY_MS), keepPendingRunAt: true },
          ),
        );
        return;
      }
    }
  }

  let holdForAnalysis = false;
  if (plan.status === "running") {
    const breach = await guardrailBreach(plan);
    if (breach) return haltPlan(plan, breach);
    const canary = await judgePlanCanary({ planId });
    if (canary.kind === "stop") return haltPlan(plan, canary.reason, canary.rollback);
    holdForAnalysis = canary.kind === "hold";
  }

  let halt: string | undefined;
  let wakeAt: Date | undefined;
  // While the end-of-hold look waits for samples, nothing new starts; the watch tick comes back.
  for (let round = 0; round < (holdForAnalysis ? 0 : 10); round += 1) {
    const outcome = await db.$transaction(async (tx) => {
      const locked = await lockPlanOrThrow(tx, planId);
      const steps = await tx.planStep.findMany({
        where: { planId },
        select: { id: true, wave: true, nodeId: true, seq: true, kind: true, status: true, finishedAt: true },
      });
      const action = nextRunnableSteps({ planStatus: locked.status, now: new Date(), waves: locked.waves as PlanWave[], steps });
      return { plan: locked, ...(await applyNextAction(tx, locked, action)) };
    });
    plan = outcome.plan;
    halt = outcome.halt;
    wakeAt = outcome.wakeAt;
    if (!outcome.again) break;
  }
  if (halt) return haltPlan(plan, halt);

  const current = await db.plan.findUniqueOrThrow({ where: { id: planId }, select: { status: true } });
  if (current.status === "running") {
    const watchAt = new Date(Date.now() + guardrailWatchMs());
    const runAt = wakeAt && wakeAt < watchAt ? wakeAt : watchAt;
    await db.$transaction((tx) => enqueueJob(tx, "plan-tick", { planId }, { jobKey: `plan:${planId}`, runAt, keepPendingRunAt: true }));
  }
}
