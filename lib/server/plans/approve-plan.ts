import "server-only";
import { AppError } from "@/lib/app-error";
import { hasRole } from "@/lib/auth/roles";
import { evaluateApproval } from "@/lib/plans/evaluate-approval";
import { appendAuditEvent } from "../audit-log";
import { db } from "../db";
import { enqueueJob } from "../jobs/job-queue";
import type { SessionUser } from "../users";
import { applyPlanEventOrThrow } from "./apply-status";
import { lockPlanOrThrow } from "./lock-plan";

/**
 * Records one approval. When it is the last one required the plan becomes approved and the runner
 * is queued: prepare steps start by themselves, activate steps still wait for clicks.
 */
export async function approvePlan(options: { actor: SessionUser; planId: string }): Promise<{ approved: boolean; approvals: number }> {
  const { actor, planId } = options;
  if (!hasRole(actor.role, "approver")) throw new AppError("forbidden", "Approving a plan needs the approver role.");
  return db.$transaction(async (tx) => {
    const plan = await lockPlanOrThrow(tx, planId);
    if (plan.status !== "draft") throw new AppError("conflict", `The plan is ${plan.status}; only a draft can be approved.`);
    const existing = await tx.planApproval.findMany({ where: { planId }, select: { approverId: true } });
    const decision = evaluateApproval({
      authorId: plan.authorId,
      approverId: actor.id,
      existingApproverIds: existing.map((approval) => approval.approverId),
      approvalsRequired: plan.approvalsRequired,
    });
    if (!decision.ok) throw new AppError(decision.reason === "author_cannot_approve" ? "forbidden" : "conflict", decision.message);
    await tx.planApproval.create({ data: { planId, approverId: actor.id } });
    await appendAuditEvent(tx, {
      kind: "plan.approval_given",
      actor,
      planId,
      data: { approvals: decision.approvals, required: plan.approvalsRequired },
    });
    if (decision.approvedNow) {
      await applyPlanEventOrThrow(tx, { planId, event: "approve" });
      await appendAuditEvent(tx, { kind: "plan.approved", actor, planId, data: { approvals: decision.approvals } });
      await enqueueJob(tx, "plan-tick", { planId }, { jobKey: `plan:${planId}` });
    }
    return { approved: decision.approvedNow, approvals: decision.approvals };
  });
}
