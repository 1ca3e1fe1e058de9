import "server-only";
import { AppError } from "@/lib/app-error";
import { hasRole } from "@/lib/auth/roles";
import { reasonInputSchema } from "@/lib/plans/reason-input-schema";
import { appendAuditEvent } from "../audit-log";
import { db } from "../db";
import { enqueueJob } from "../jobs/job-queue";
import type { SessionUser } from "../users";
import { applyPlanEvent } from "./apply-status";
import { lockPlanOrThrow } from "./lock-plan";

/**
 * An approver lets a marginal or inconclusive formal look through, with a reason: the widen it
 * held back may be clicked, or the next wave may open, and a plan the look paused resumes. A failed
 * look cannot be accepted (roll back, or retry after fixing the cause), and only the latest look
 * of its wave counts: an older one is history.
 */
export async function acceptAnalysis(options: { actor: SessionUser; planId: string; runId: string; input: unknown }): Promise<void> {
  const { actor, planId, runId } = options;
  if (!hasRole(actor.role, "approver")) throw new AppError("forbidden", "Accepting a canary analysis needs the approver role.");
  const { reason } = reasonInputSchema.parse(options.input);
  await db.$transaction(async (tx) => {
    const plan = await lockPlanOrThrow(tx, planId);
    const run = await tx.analysisRun.findFirst({ where: { id: runId, planId }, include: { acceptedBy: { select: { email: true } } } });
    if (!run) throw new AppError("not_found", "No such analysis in this plan.");
    if (run.phase === "watch")
      throw new AppError("conflict", "A watch is not a formal look; only a look before a widen or at the end of a hold can be accepted.");
    if (run.decision === "pass") throw new AppError("conflict", "This analysis passed; there is nothing to accept.");
    if (run.decision === "fail")
      throw new AppError("conflict", `This analysis failed (${run.summary}); a failure cannot be accepted: roll back.`);
    if (run.acceptedAt)
      throw new AppError("conflict", `Already accepted by ${run.acceptedBy?.email ?? "an approver"} at ${run.acceptedAt.toISOString()}.`);
    const newer = await tx.analysisRun.findFirst({
      where: { planId, wave: run.wave, phase: run.phase, at: { gt: run.at } },
      select: { id: true },
    });
    if (newer) throw new AppError("conflict", "A newer analysis of this wave exists; accept that one instead.");
    if (plan.status !== "running" && plan.status !== "paused") {
      throw new AppError(
        "conflict",
        `The plan is ${plan.status.replaceAll("_", " ")}; an analysis can be accepted only while it runs or is paused.`,
      );
    }
    await tx.analysisRun.update({ where: { id: runId }, data: { acceptedById: actor.id, acceptedAt: new Date(), acceptReason: reason } });
    await appendAuditEvent(tx, {
      kind: "analysis.accepted",
      actor,
      planId,
      data: { runId, phase: run.phase, wave: run.wave, decision: run.decision, summary: run.summary, reason },
    });
    if (plan.status === "paused") {
      await applyPlanEvent(tx, { planId, event: "resume", fields: { statusReason: null } });
      await appendAuditEvent(tx, { kind: "plan.resumed", actor, planId, data: { reason: `accepted the canary analysis: ${reason}` } });
    }
    await enqueueJob(tx, "plan-tick", { planId }, { jobKey: `plan:${planId}` });
  });
}
