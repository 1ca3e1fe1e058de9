import type { TransitionResult } from "./illegal-transition";

export const planStatuses = ["draft", "approved", "running", "paused", "rolling_back", "completed", "rolled_back", "aborted"] as const;
export type PlanStatus = (typeof planStatuses)[number];

export const planEvents = [
  "approve",
  "start",
  "pause",
  "resume",
  "complete",
  "abort",
  "begin_rollback",
  "roll_back",
  "rollback_failed",
] as const;
export type PlanEvent = (typeof planEvents)[number];

/** Nothing leaves these: a finished plan is history, and a new attempt is a new plan. */
export const terminalPlanStatuses: readonly PlanStatus[] = ["completed", "rolled_back", "aborted"];

/**
 * The whole plan lifecycle as data, so the UI can ask what's allowed and tests can enumerate it.
 * Notes on the less obvious rows:
 * - `complete` only from running: a paused plan is resumed first, so "paused" can't end up
 *   reported as a success nobody watched.
 * - `approve` happens once, when the last required approval lands (see evaluateApproval).
 * - A rollback is a phase, not a jump: restoring a bookmark (`begin_rollback`, by a person or the
 *   guardrails) puts the plan in `rolling_back` while the agents put nodes back, so nothing can
 *   widen or resume meanwhile; the restore job ends it with `roll_back` (every node back) or
 *   `rollback_failed` (some node could not be restored: paused, for a human to restore again or
 *   abort). An approved plan can roll back too: its start bookmark is taken before `start`.
 * - `abort` is refused while rolling back: the restore is already the way out, and aborting would
 *   hide whether it worked.
 */
const PLAN_TRANSITIONS: Readonly<Record<PlanStatus, Partial<Record<PlanEvent, PlanStatus>>>> = {
  draft: { approve: "approved", abort: "aborted" },
  approved: { start: "running", abort: "aborted", begin_rollback: "rolling_back" },
  running: { pause: "paused", complete: "completed", abort: "aborted", begin_rollback: "rolling_back" },
  paused: { resume: "running", abort: "aborted", begin_rollback: "rolling_back" },
  rolling_back: { roll_back: "rolled_back", rollback_failed: "paused" },
  completed: {},
  rolled_back: {},
  aborted: {},
};

/** Every (from, event, to) of the table, for the database's copy of it (see apply-status.ts). */
export function planTransitionRows(): { from: PlanStatus; event: PlanEvent; to: PlanStatus }[] {
  return planStatuses.flatMap((from) => allowedPlanEvents(from).map((event) => ({ from, event, to: PLAN_TRANSITIONS[from][event]! })));
}

/** Events a plan in `status` accepts, in a stable order. */
export function allowedPlanEvents(status: PlanStatus): PlanEvent[] {
  return planEvents.filter((event) => PLAN_TRANSITIONS[status][event] !== undefined);
}

/** Applies `event` to a plan status; never throws, an illegal move comes back as a typed error. */
export function transitionPlan(status: PlanStatus, event: PlanEvent): TransitionResult<PlanStatus, PlanEvent> {
  const next = PLAN_TRANSITIONS[status][event];
  if (next !== undefined) return { ok: true, status: next };
  const allowed = allowedPlanEvents(status);
  return {
    ok: false,
    error: {
      code: "illegal_transition",
      machine: "plan",
      from: status,
      event,
      allowed,
      message:
        allowed.length === 0
          ? `The plan is ${status.replaceAll("_", " ")}; nothing can change it any more.`
          : `A ${status} plan can't ${event.replaceAll("_", " ")}; it can ${allowed.map((e) => e.replaceAll("_", " ")).join(", ")}.`,
    },
  };
}
