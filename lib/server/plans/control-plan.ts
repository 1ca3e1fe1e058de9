import "server-only";
import { AppError } from "@/lib/app-error";
import { hasRole, type Role } from "@/lib/auth/roles";
import { appendAuditEvent } from "../audit-log";
import { db } from "../db";
import { enqueueJob } from "../jobs/job-queue";
import type { SessionUser } from "../users";
import { applyPlanEventOrThrow, applyStepEventToEach } from "./apply-status";
import { lockPlanOrThrow } from "./lock-plan";

export type PlanControl = "pause" | "resume" | "abort";

// Stopping is cheap and safe, so operators may do it; going on again is an approver's call.
const REQUIRED_ROLE: Record<PlanControl, Role> = { pause: "operator", abort: "operator", resume: "approver" };

/**
 * Pause, resume or abort. Steps already running finish (an agent call cannot be taken back half
 * way); an abort skips everything not yet started. Resuming queues the runner again.
 */
export async function controlPlan(options: { actor: SessionUser; planId: string; control: PlanControl; reason?: string }): Promise<void> {
  const { actor, planId, control } = options;
  if (!hasRole(actor.role, REQUIRED_ROLE[control]))
    throw new AppError("forbidden", `To ${control} a plan you need the ${REQUIRED_ROLE[control]} role.`);
  await db.$transaction(async (tx) => {
    await lockPlanOrThrow(tx, planId);
    const reason = options.reason?.trim() || null;
    await applyPlanEventOrThrow(tx, {
      planId,
      event: control,
      fields: {
        statusReason: control === "resume" ? null : (reason ?? `${control === "pause" ? "Paused" : "Aborted"} by ${actor.email}`),
        ...(control === "abort" ? { finishedAt: new Date() } : {}),
      },
    });
    if (control === "abort") {
      const unstarted = await tx.planStep.findMany({
        where: { planId, status: { in: ["pending", "awaiting_activation"] } },
        select: { id: true },
      });
      await applyStepEventToEach(tx, { stepIds: unstarted.map((step) => step.id), event: "skip" });
    }
    await appendAuditEvent(tx, {
      kind: `plan.${control === "pause" ? "paused" : control === "resume" ? "resumed" : "aborted"}`,
      actor,
      planId,
      data: { reason },
    });
    if (control === "resume") await enqueueJob(tx, "plan-tick", { planId }, { jobKey: `plan:${planId}` });
  });
}
