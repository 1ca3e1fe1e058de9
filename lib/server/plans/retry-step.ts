import "server-only";
import { AppError } from "@/lib/app-error";
import { hasRole } from "@/lib/auth/roles";
import { reasonInputSchema } from "@/lib/plans/reason-input-schema";
import { appendAuditEvent } from "../audit-log";
import { db } from "../db";
import { enqueueJob } from "../jobs/job-queue";
import type { SessionUser } from "../users";
import { applyPlanEvent, applyStepEventOrThrow } from "./apply-status";
import { lockPlanOrThrow } from "./lock-plan";
import { stepTimeoutAt } from "./step-timeout-at";

/**
 * An approver's retry of a failed step, with a reason. The step runs again as a new attempt: its
 * agent calls get new request ids (so the node really does the work again), under the same
 * idempotency rules within the attempt, with a fresh timeout. A plan paused by the failure resumes
 * in the same transaction, so the runner continues from this step; for an activate step the retry
 * is the click. A plan that already rolled back or ended cannot be retried: that is a new plan.
 */
export async function retryStep(options: {
  actor: SessionUser;
  planId: string;
  stepId: string;
  input: unknown;
}): Promise<{ attempt: number }> {
  const { actor, planId, stepId } = options;
  if (!hasRole(actor.role, "approver")) throw new AppError("forbidden", "Retrying a step needs the approver role.");
  const { reason } = reasonInputSchema.parse(options.input);
  return db.$transaction(async (tx) => {
    const plan = await lockPlanOrThrow(tx, planId);
    const step = await tx.planStep.findFirst({ where: { id: stepId, planId }, include: { node: { select: { name: true } } } });
    if (!step) throw new AppError("not_found", "No such step in this plan.");
    if (step.status !== "failed") {
      throw new AppError("conflict", `This step is ${step.status.replaceAll("_", " ")}; only a failed step can be retried.`);
    }
    if (plan.status === "paused") {
      await applyPlanEvent(tx, { planId, event: "resume", fields: { statusReason: null } });
      await appendAuditEvent(tx, { kind: "plan.resumed", actor, planId, data: { reason: `retry of ${step.kind} on ${step.node.name}` } });
    } else if (plan.status !== "running") {
      throw new AppError(
        "conflict",
        `The plan is ${plan.status.replaceAll("_", " ")}; a step can be retried only while the plan runs or is paused.`,
      );
    }
    const now = new Date();
    const attempt = step.attempt + 1;
    await applyStepEventOrThrow(tx, {
      stepId,
      event: "retry",
      fields: {
        attempt,
        startedAt: now,
        finishedAt: null,
        error: null,
        timeoutAt: await stepTimeoutAt(tx, { planId, kind: step.kind, from: now }),
        ...(step.mode === "activate" ? { activatedById: actor.id, activatedAt: now } : {}),
      },
    });
    await tx.planStep.update({ where: { id: stepId }, data: { agentOperationId: null } });
    await appendAuditEvent(tx, {
      kind: "step.retried",
      actor,
      planId,
      nodeId: step.nodeId,
      data: { stepId, kind: step.kind, node: step.node.name, attempt, reason, previousError: step.error },
    });
    await enqueueJob(tx, "run-step", { stepId }, { jobKey: `step:${stepId}` });
    await enqueueJob(tx, "plan-tick", { planId }, { jobKey: `plan:${planId}` });
    return { attempt };
  });
}
