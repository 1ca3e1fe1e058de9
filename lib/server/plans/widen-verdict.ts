import "server-only";
import type { DbTransaction } from "../db";

export type WidenVerdict = { allowed: true; runId: string; summary: string } | { allowed: false; runId: string | null; reason: string };

/**
 * Whether the canary judge lets a wave's widen through: its latest formal look before the widen,
 * taken after the wave's last restart, passed or was accepted by an approver. Read by the click
 * (activate-step.ts) and by the plan page, so the button and the server say the same thing.
 */
export async function widenVerdict(tx: DbTransaction, options: { planId: string; wave: number }): Promise<WidenVerdict> {
  const lastRestart = await tx.planStep.findFirst({
    where: { planId: options.planId, wave: options.wave, kind: "restart", status: "succeeded" },
    orderBy: { finishedAt: "desc" },
    select: { finishedAt: true },
  });
  const run = await tx.analysisRun.findFirst({
    where: { planId: options.planId, wave: options.wave, phase: "before_widen", at: { gte: lastRestart?.finishedAt ?? new Date(0) } },
    orderBy: { at: "desc" },
    select: { id: true, decision: true, summary: true, acceptedAt: true, acceptedBy: { select: { email: true } }, acceptReason: true },
  });
  if (!run)
    return {
      allowed: false,
      runId: null,
      reason: "it has not looked at the canary yet (it needs a few minutes of samples after the restart).",
    };
  if (run.decision === "pass") return { allowed: true, runId: run.id, summary: run.summary };
  if (run.acceptedAt && run.decision !== "fail") {
    return {
      allowed: true,
      runId: run.id,
      summary: `${run.summary} (accepted by ${run.acceptedBy?.email ?? "an approver"}: ${run.acceptReason ?? ""})`,
    };
  }
  return { allowed: false, runId: run.id, reason: run.summary };
}
