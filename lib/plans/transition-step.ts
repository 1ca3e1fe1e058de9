import type { TransitionResult } from "./illegal-transition";
import type { PlanStepMode } from "./plan-step-kinds";

export const stepStatuses = ["pending", "awaiting_activation", "running", "succeeded", "failed", "skipped"] as const;
export type StepStatus = (typeof stepStatuses)[number];

export const stepEvents = ["step_ready", "activate", "begin", "succeed", "fail", "skip"] as const;
export type StepEvent = (typeof stepEvents)[number];

export const terminalStepStatuses: readonly StepStatus[] = ["succeeded", "failed", "skipped"];

/**
 * Prepare steps go pending → running by themselves (`begin`). Activate steps can only reach
 * running through awaiting_activation and an approver's `activate`: there is deliberately no
 * `begin` for them, so no code path can restart a node or widen traffic without the click.
 * Failed is final here; retrying is a new plan (or a later feature), not a silent loop.
 */
const STEP_TRANSITIONS: Readonly<Record<PlanStepMode, Readonly<Record<StepStatus, Partial<Record<StepEvent, StepStatus>>>>>> = {
  prepare: {
    pending: { begin: "running", skip: "skipped" },
    awaiting_activation: {},
    running: { succeed: "succeeded", fail: "failed" },
    succeeded: {},
    failed: {},
    skipped: {},
  },
  activate: {
    pending: { step_ready: "awaiting_activation", skip: "skipped" },
    awaiting_activation: { activate: "running", skip: "skipped" },
    running: { succeed: "succeeded", fail: "failed" },
    succeeded: {},
    failed: {},
    skipped: {},
  },
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
