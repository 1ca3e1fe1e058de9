import "server-only";
import { AppError } from "@/lib/app-error";
import { hasRole } from "@/lib/auth/roles";
import { appendAuditEvent } from "../audit-log";
import { db } from "../db";
import { enqueueJob } from "../jobs/job-queue";
import type { SessionUser } from "../users";
import { applyStepEvent } from "./apply-status";
import { lockPlanOrThrow } from "./lock-plan";
import { widenVerdict } from "./widen-verdict";
import { stepTimeoutAt } from "./step-timeout-at";

/**
 * An approver's click on Activate. Exactly once: the step moves from awaiting_activation to running
 * in one conditional update under the plan's lock, so a double-click or two approvers clicking at
 * the same moment produce one transition, one job and one call to the node agent; the loser gets a
 * 409 that says who won.
 */
export async function activateStep(options: { actor: SessionUser; planId: string; stepId: string }): Promise<void> {
  const { actor, planId, stepId } = options;
  if (!hasRole(actor.role, "approver")) throw new AppError("forbidden", "Activating a step needs the approver role.");
  await db.$transaction(async (tx) => {
    const plan = await lockPlanOrThrow(tx, planId);
    if (plan.status !== "running")
      throw new AppError("conflict", `The plan is ${plan.status.replaceAll("_", " ")}; steps can be activated only while it runs.`);
    const step = await tx.planStep.findFirst({
      where: { id: stepId, planId },
      include: { node: { select: { name: true } }, activatedBy: { select: { email: true } } },
    });
    if (!step) throw new AppError("not_found", "No such step in this plan.");
    if (step.kind === "widen" && step.status === "awaiting_activation") {
      const verdict = await widenVerdict(tx, { planId, wave: step.wave });
      if (!verdict.allowed) throw new AppError("conflict", `The canary analysis does not allow this widen yet: ${verdict.reason}`);
    }
    const now = new Date();
    const claimed = await applyStepEvent(tx, {
      stepId,
      event: "activate",
      fields: {
        activatedById: actor.id,
        activatedAt: now,
        startedAt: now,
        timeoutAt: await stepTimeoutAt(tx, { planId, kind: step.kind, from: now }),
      },
    });
    if (!claimed.ok) {
      if (step.activatedBy && step.status !== "awaiting_activation") {
        throw new AppError("conflict", `Already activated by ${step.activatedBy.email} at ${step.activatedAt?.toISOString() ?? "?"}.`);
      }
      throw new AppError("conflict", `This step is ${step.status.replaceAll("_", " ")}, not waiting for activation.`);
    }
    await appendAuditEvent(tx, {
      kind: "step.activated",
      actor,
      planId,
      nodeId: step.nodeId,
      data: { stepId, kind: step.kind, node: step.node.name, targetWeight: step.targetWeight, attempt: step.attempt },
    });
    await enqueueJob(tx, "run-step", { stepId }, { jobKey: `step:${stepId}` });
  });
}
