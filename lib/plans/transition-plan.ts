import type { TransitionResult } from "./illegal-transition";

export const planStatuses = ["draft", "approved", "running", "paused", "completed", "rolled_back", "aborted"] as const;
export type PlanStatus = (typeof planStatuses)[number];

export const planEvents = ["approve", "start", "pause", "resume", "complete", "abort", "roll_back"] as const;
export type PlanEvent = (typeof planEvents)[number];

/** Nothing leaves these: a finished plan is history, and a new attempt is a new plan. */
export const terminalPlanStatuses: readonly PlanStatus[] = ["completed", "rolled_back", "aborted"];

/**
 * The whole plan lifecycle as data, so the UI can ask what's allowed and tests can enumerate it.
 * Notes on the less obvious rows:
 * - `complete` only from running: a paused plan is resumed first, so "paused" can't end up
 *   reported as a success nobody watched.
 * - `roll_back` only once something may have changed (running/paused); before that, `abort`.
 * - `approve` happens once, when the last required approval lands (see evaluateApproval).
 */
const PLAN_TRANSITIONS: Readonly<Record<PlanStatus, Partial<Record<PlanEvent, PlanStatus>>>> = {
  draft: { approve: "approved", abort: "aborted" },
  approved: { start: "running", abort: "aborted" },
  running: { pause: "paused", complete: "completed", abort: "aborted", roll_back: "rolled_back" },
  paused: { resume: "running", abort: "aborted", roll_back: "rolled_back" },
  completed: {},
  rolled_back: {},
  aborted: {},
};

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
