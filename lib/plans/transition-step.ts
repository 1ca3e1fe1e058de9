import type { TransitionResult } from "./illegal-transition";
import type { PlanStepMode } from "./plan-step-kinds";
import type { PlanStatus } from "./transition-plan";

export const stepStatuses = ["pending", "awaiting_activation", "running", "succeeded", "failed", "skipped"] as const;
export type StepStatus = (typeof stepStatuses)[number];

export const stepEvents = ["step_ready", "activate", "begin", "succeed", "fail", "skip", "hand_back", "retry"] as const;
export type StepEvent = (typeof stepEvents)[number];

/** Nothing leaves these. `failed` is not among them: an approver may retry a failed step. */
export const terminalStepStatuses: readonly StepStatus[] = ["succeeded", "skipped"];

/**
 * Prepare steps go pending → running by themselves (`begin`). Activate steps can only reach
 * running through awaiting_activation and an approver's `activate`: there is deliberately no
 * `begin` for them, so no code path can restart a node or widen traffic without the click.
 * - `hand_back` returns a running step to where it waited (pending, or awaiting_activation so the
 *   click is needed again) when its job finds the plan paused before the step did anything new.
 * - `retry` is an approver's decision after a failure: the step runs again as a new attempt (for
 *   an activate step the retry is the click). Nothing retries by itself.
 */
const STEP_TRANSITIONS: Readonly<Record<PlanStepMode, Readonly<Record<StepStatus, Partial<Record<StepEvent, StepStatus>>>>>> = {
  prepare: {
    pending: { begin: "running", skip: "skipped" },
    awaiting_activation: {},
    running: { succeed: "succeeded", fail: "failed", hand_back: "pending" },
    succeeded: {},
    failed: { retry: "running" },
    skipped: {},
  },
  activate: {
    pending: { step_ready: "awaiting_activation", skip: "skipped" },
    awaiting_activation: { activate: "running", skip: "skipped" },
    running: { succeed: "succeeded", fail: "failed", hand_back: "awaiting_activation" },
    succeeded: {},
    failed: { retry: "running" },
    skipped: {},
  },
};

/** Every (mode, from, event, to) of the table, for the database's copy of it (see apply-status.ts). */
export function stepTransitionRows(): { mode: PlanStepMode; from: StepStatus; event: StepEvent; to: StepStatus }[] {
  return (["prepare", "activate"] as const).flatMap((mode) =>
    stepStatuses.flatMap((from) =>
      allowedStepEvents(from, mode).map((event) => ({ mode, from, event, to: STEP_TRANSITIONS[mode][from][event]! })),
    ),
  );
}

/**
 * In which plan statuses each step event may happen, checked together with the table above.
 * Starting work (begin, step_ready, activate, retry) needs a running plan. A step of any plan may
 * still record how an operation already in flight ended (succeed, fail). Handing a step back is for
 * a plan that stopped without ending; skipping is what aborts and rollbacks do to unstarted steps.
 */
export const stepEventPlanStatuses: Readonly<Record<StepEvent, readonly PlanStatus[] | "any">> = {
  begin: ["running"],
  step_ready: ["running"],
  activate: ["running"],
  retry: ["running"],
  succeed: "any",
  fail: "any",
  hand_back: ["paused", "rolling_back"],
  skip: ["aborted", "rolling_back", "rolled_back"],
};

export function allowedStepEvents(status: StepStatus, mode: PlanStepMode): StepEvent[] {
  return stepEvents.filter((event) => STEP_TRANSITIONS[mode][status][event] !== undefined);
}

/** Applies `event` to a step status; `mode` matters because only activate steps wait for a click. */
export function transitionStep(status: StepStatus, event: StepEvent, mode: PlanStepMode): TransitionResult<StepStatus, StepEvent> {
  const next = STEP_TRANSITIONS[mode][status][event];
  if (next !== undefined) return { ok: true, status: next };
  const allowed = allowedStepEvents(status, mode);
  const words = (e: StepEvent) => e.replaceAll("_", " ");
  return {
    ok: false,
    error: {
      code: "illegal_transition",
      machine: "step",
      from: status,
      event,
      allowed,
      message:
        allowed.length === 0
          ? `The ${mode} step is ${status.replaceAll("_", " ")}; nothing can change it any more.`
          : `A ${status.replaceAll("_", " ")} ${mode} step can't ${words(event)}; it can ${allowed.map(words).join(", ")}.`,
    },
  };
}
