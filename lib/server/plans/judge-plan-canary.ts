import "server-only";
import type { AnalysisPhase } from "@/lib/analysis";
import { db } from "../db";
import { analysisTimeScale, observedLongEnough, runPlanAnalysis } from "./run-plan-analysis";

export type CanaryVerdict =
  | { kind: "go" }
  /** The next wave (or completion) waits for the end-of-hold look, which waits for samples. */
  | { kind: "hold"; reason: string }
  | { kind: "stop"; reason: string; rollback: boolean };

type Wave = { index: number; holdSeconds: number };
type StepRow = { wave: number; kind: string; status: string; finishedAt: Date | null };

// Per process: a second dashboard instance may watch the same plan too, which at worst doubles
// the watch's rate; the formal looks are keyed in the database and run once.
const lastWatchAt = new Map<string, number>();

/** The watch re-tests about once a minute of fleet time: its α is calibrated for that rate (docs/analysis.md). */
function watchEveryMs(): number {
  return 60_000 / analysisTimeScale();
}

/** A formal look that stands: it passed, or an approver accepted its marginal or inconclusive answer. */
function stands(run: { decision: string; acceptedAt: Date | null }): boolean {
  return run.decision === "pass" || (run.acceptedAt !== null && run.decision !== "fail");
}

function stopFor(phase: AnalysisPhase, summary: string, action: string): CanaryVerdict {
  const what = phase === "before_widen" ? "before the widen" : phase === "end_of_hold" ? "at the end of the hold" : "while watching";
  if (action === "rollback") return { kind: "stop", reason: `Canary analysis ${what} failed: ${summary}`, rollback: true };
  return {
    kind: "stop",
    reason: `Canary analysis ${what} needs an approver: ${summary} Accept it with a reason to go on, or roll back.`,
    rollback: false,
  };
}

/**
 * The plan engine's one place for the canary judge, called on every tick of a running plan:
 * 1. end of hold: once a wave's hold is over, a formal look before the next wave opens (or the
 *    plan completes);
 * 2. before widen: once a wave's widens await their click and the canary has been watched long
 *    enough, a formal look; the click is refused until it stands (activate-step.ts);
 * 3. watch: between looks, about once a minute, the safety net (limits and trends).
 * A look that does not stand stops the plan: roll back when it failed and the plan rolls back by
 * itself, else pause for an approver. Formal looks are few and fixed per wave, which is what keeps
 * the false-alarm rate bounded (docs/analysis.md).
 */
export async function judgePlanCanary(options: { planId: string; now?: Date }): Promise<CanaryVerdict> {
  const now = options.now ?? new Date();
  const plan = await db.plan.findUniqueOrThrow({ where: { id: options.planId }, select: { id: true, waves: true } });
  const steps: StepRow[] = await db.planStep.findMany({
    where: { planId: plan.id },
    select: { wave: true, kind: true, status: true, finishedAt: true },
  });
  if (!steps.some((step) => step.kind === "restart" && step.status === "succeeded")) return { kind: "go" };
  let verdict: CanaryVerdict = { kind: "go" };
  const runs = await db.analysisRun.findMany({
    where: { planId: plan.id, phase: { in: ["before_widen", "end_of_hold"] } },
    orderBy: { at: "desc" },
    select: { wave: true, phase: true, at: true, decision: true, acceptedAt: true, summary: true },
  });
  const latest = (phase: AnalysisPhase, wave: number) => runs.find((run) => run.phase === phase && run.wave === wave);

  // 1. End of hold.
  for (const wave of (plan.waves as Wave[]).toSorted((a, b) => b.index - a.index)) {
    const widens = steps.filter((step) => step.wave === wave.index && step.kind === "widen");
    if (widens.length === 0 || !widens.every((step) => step.status === "succeeded" && step.finishedAt)) continue;
    const holdEnds = Math.max(...widens.map((step) => step.finishedAt!.getTime())) + wave.holdSeconds * 1000;
    if (holdEnds > now.getTime()) break;
    const existing = latest("end_of_hold", wave.index);
    if (existing) {
      if (!stands(existing)) return stopFor("end_of_hold", existing.summary, existing.decision === "fail" ? "rollback" : "pause");
      break;
    }
    const observed = await observedLongEnough({ planId: plan.id, since: "widen" });
    if (!observed.ready) {
      verdict = { kind: "hold", reason: `The hold is over; the canary analysis is ${observed.detail}.` };
      break;
    }
    const look = await runPlanAnalysis({ planId: plan.id, phase: "end_of_hold", wave: wave.index, now });
    if (look && look.action !== "widen") return stopFor("end_of_hold", look.result.summary, look.action);
    break;
  }

  // 2. Before widen.
  const awaiting = steps.filter((step) => step.kind === "widen" && step.status === "awaiting_activation").map((step) => step.wave);
  if (awaiting.length > 0) {
    const wave = Math.min(...awaiting);
    const lastRestart = Math.max(
      ...steps.filter((step) => step.wave === wave && step.kind === "restart" && step.finishedAt).map((step) => step.finishedAt!.getTime()),
    );
    // A look from before the wave's last restart (say, before a retried restart) judged other code.
    const existing = runs.find((run) => run.phase === "before_widen" && run.wave === wave && run.at.getTime() >= lastRestart);
    if (existing && !stands(existing))
      return stopFor("before_widen", existing.summary, existing.decision === "fail" ? "rollback" : "pause");
    if (!existing && (await observedLongEnough({ planId: plan.id, since: "restart" })).ready) {
      const look = await runPlanAnalysis({ planId: plan.id, phase: "before_widen", wave, now });
      if (look && look.action !== "widen") return stopFor("before_widen", look.result.summary, look.action);
    }
  }

  // 3. Watch.
  if ((lastWatchAt.get(plan.id) ?? 0) + watchEveryMs() <= now.getTime()) {
    lastWatchAt.set(plan.id, now.getTime());
    const current = Math.max(...steps.filter((step) => step.kind === "restart" && step.status === "succeeded").map((step) => step.wave));
    const look = await runPlanAnalysis({ planId: plan.id, phase: "watch", wave: current, now });
    if (look && (look.action === "pause" || look.action === "rollback")) return stopFor("watch", look.result.summary, look.action);
  }
  return verdict;
}
