import { formatApproxDuration } from "@/lib/readiness/format-approx-duration";
import { terminalPlanStatuses, type PlanStatus } from "./transition-plan";
import type { StepStatus } from "./transition-step";

/** What the job queue says about a running step's job, and about the instance holding it. */
export type StepJobFacts = {
  /** The step's `run-step` job, or null when none exists. */
  job: {
    lockedBy: string | null;
    lockedAt: Date | null;
    runAt: Date;
    attempts: number;
    maxAttempts: number;
    lastError: string | null;
  } | null;
  /** The dashboard instance whose worker holds the job, when one claims it. */
  holder: { hostname: string; pid: number; beatAt: Date } | null;
};

export type StepLiveness =
  /** A live instance is running it right now. */
  | { state: "working"; detail: string }
  /** Waiting its turn (just queued, or a retry after an error). */
  | { state: "queued"; detail: string }
  /** Nothing is moving it: for how long and why, instead of a spinner. */
  | { state: "stalled"; sinceMs: number; reason: string }
  /** A running step of a plan that ended: nothing will resume it. */
  | { state: "interrupted"; reason: string };

function ago(ms: number): string {
  return formatApproxDuration(Math.max(0, ms));
}

/**
 * Tells whether a running step is really being worked on. The job queue knows which worker locked
 * the step's job and when; worker-liveness.ts knows which instance each worker belongs to and when
 * it last beat. A lock held by an instance that stopped beating, or by a worker no instance claims,
 * or a job nobody picks up, is a stall, and the page says so with the time it started and when the
 * queue will hand the job to someone else.
 */
export function judgeStepLiveness(options: {
  stepStatus: StepStatus;
  planStatus: PlanStatus;
  facts: StepJobFacts;
  now: Date;
  heartbeatMs: number;
  deadAfterMs: number;
}): StepLiveness | null {
  const { facts, now, heartbeatMs, deadAfterMs } = options;
  if (options.stepStatus !== "running") return null;
  if (terminalPlanStatuses.includes(options.planStatus)) {
    return {
      state: "interrupted",
      reason: `The plan is ${options.planStatus.replaceAll("_", " ")}; this step was in flight when it ended and nothing will resume it. What the agent did is in the audit log.`,
    };
  }
  const { job, holder } = facts;
  if (!job) {
    return {
      state: "stalled",
      sinceMs: 0,
      reason: "No job exists for this step, so nothing will run it: pause and resume the plan, or abort.",
    };
  }
  const lastError = job.lastError ? ` Last error: ${job.lastError}` : "";
  if (job.lockedBy && job.lockedAt) {
    if (holder) {
      const silentMs = now.getTime() - holder.beatAt.getTime();
      // Two beats of slack: one slow beat is not a stall worth showing.
      if (silentMs <= heartbeatMs * 2) {
        return {
          state: "working",
          detail: `Running on ${holder.hostname} (pid ${holder.pid}) for ${ago(now.getTime() - job.lockedAt.getTime())}.`,
        };
      }
      const handOverIn = Math.max(0, deadAfterMs - silentMs);
      return {
        state: "stalled",
        sinceMs: silentMs,
        reason: `The dashboard instance running it (${holder.hostname}, pid ${holder.pid}) stopped answering ${ago(silentMs)} ago. ${
          handOverIn > 0
            ? `Its job goes to a live instance in about ${ago(handOverIn)}.`
            : "Its job goes to the next live instance that checks."
        }`,
      };
    }
    const lockedMs = now.getTime() - job.lockedAt.getTime();
    return {
      state: "stalled",
      sinceMs: lockedMs,
      reason: `Its job is held by a worker that no live dashboard instance claims (locked ${ago(lockedMs)} ago); it is released after ${ago(deadAfterMs)} of silence.`,
    };
  }
  if (job.attempts >= job.maxAttempts) {
    return { state: "stalled", sinceMs: 0, reason: `Its job failed ${job.attempts} times and gave up.${lastError}` };
  }
  const waitingMs = now.getTime() - job.runAt.getTime();
  if (waitingMs < 0) return { state: "queued", detail: `Runs again in ${ago(-waitingMs)} (attempt ${job.attempts + 1}).${lastError}` };
  if (waitingMs > deadAfterMs) {
    return {
      state: "stalled",
      sinceMs: waitingMs,
      reason: `Waiting ${ago(waitingMs)} for a job worker: no dashboard instance is taking jobs (is every one started with ROLLBOOK_WORKER=off?).`,
    };
  }
  return { state: "queued", detail: "Queued; a worker picks it up within a second." };
}
