import { AppError } from "@/lib/app-error";
import { planStepModes, type PlanStepKind } from "./plan-step-kinds";
import { terminalPlanStatuses, type PlanStatus } from "./transition-plan";
import type { StepStatus } from "./transition-step";

export interface RunnableStep {
  id: string;
  wave: number;
  nodeId: string;
  seq: number;
  kind: PlanStepKind;
  status: StepStatus;
  /** When the step succeeded or failed. Required on succeeded widen steps: holds are timed from it. */
  finishedAt: Date | null;
}

export type IdleReason =
  "plan_not_approved" | "plan_paused" | "plan_rolling_back" | "plan_finished" | "steps_in_flight" | "awaiting_activation";
export type HaltReason = "step_failed" | "step_skipped" | "no_steps" | "stalled";

export type NextAction =
  /** The plan is approved and nothing has run yet: apply `start`, then ask again. */
  | { kind: "start" }
  /** Prepare steps to begin now (pending → running), possibly several nodes in parallel. */
  | { kind: "run"; stepIds: string[] }
  /** Activate steps whose turn has come: mark them awaiting_activation and notify approvers. */
  | { kind: "await_activation"; stepIds: string[] }
  /** A wave is done and its hold runs until `until`; the next wave (or completion) waits. */
  | { kind: "wait"; until: Date; wave: number }
  /** Every step succeeded and the last hold is over: apply `complete`. */
  | { kind: "complete" }
  /**
   * Forward progress is impossible: a step failed (or was skipped in a running plan). The runner
   * rolls back if the plan says so, otherwise pauses for a human. Steps already running finish.
   */
  | { kind: "halted"; reason: HaltReason; stepIds: string[] }
  /** Nothing to do until something else happens; `stepIds` are the steps being waited on. */
  | { kind: "idle"; reason: IdleReason; stepIds: string[] };

/**
 * What the runner should do next, from the plan status and every step's status. Pure and
 * idempotent: call it after each change and act on the answer until it says idle, wait or done.
 * One kind of action per call; acting on it changes statuses, so the next call moves on.
 *
 * A step may start when its own node's earlier steps all succeeded. A wave's steps may start
 * when every step of the previous wave succeeded and that wave's hold has elapsed since its last
 * widen finished. Nodes of one wave progress in parallel; one node's steps strictly in order.
 */
export function nextRunnableSteps(input: {
  planStatus: PlanStatus;
  now: Date;
  waves: readonly { index: number; holdSeconds: number }[];
  steps: readonly RunnableStep[];
}): NextAction {
  const { planStatus, now } = input;
  if (planStatus === "draft") return { kind: "idle", reason: "plan_not_approved", stepIds: [] };
  if (planStatus === "approved") return { kind: "start" };
  if (planStatus === "paused") return { kind: "idle", reason: "plan_paused", stepIds: [] };
  // The restore job owns a rolling-back plan; the runner must not start anything beside it.
  if (planStatus === "rolling_back") return { kind: "idle", reason: "plan_rolling_back", stepIds: [] };
  if (terminalPlanStatuses.includes(planStatus)) return { kind: "idle", reason: "plan_finished", stepIds: [] };

  const steps = [...input.steps].sort((a, b) => a.seq - b.seq);
  if (steps.length === 0) return { kind: "halted", reason: "no_steps", stepIds: [] };

  const failed = idsWith(steps, "failed");
  if (failed.length > 0) return { kind: "halted", reason: "step_failed", stepIds: failed };
  // Skips belong to aborts and rollbacks; one in a running plan means a node would be left behind.
  const skipped = idsWith(steps, "skipped");
  if (skipped.length > 0) return { kind: "halted", reason: "step_skipped", stepIds: skipped };

  const waveOrder = checkedWaveOrder(input.waves, steps);
  const releases = waveOrder.map((wave) => waveRelease(wave, steps));
  // A wave is open once every earlier wave succeeded and its hold has passed.
  const openWaves = new Set<number>();
  let heldUntil: { until: Date; wave: number } | null = null;
  for (const [position, wave] of waveOrder.entries()) {
    const previous = releases[position - 1];
    if (previous === undefined) {
      openWaves.add(wave.index);
      continue;
    }
    if (previous === null) break;
    if (now.getTime() < previous.until.getTime()) {
      heldUntil = previous;
      break;
    }
    openWaves.add(wave.index);
  }

  // Each node's first unfinished step is the only one that may move.
  const frontier = new Map<string, RunnableStep>();
  for (const step of steps) if (step.status !== "succeeded" && !frontier.has(step.nodeId)) frontier.set(step.nodeId, step);
  const ready = [...frontier.values()].filter((step) => step.status === "pending" && openWaves.has(step.wave));

  const run = ready.filter((step) => planStepModes[step.kind] === "prepare").map((step) => step.id);
  if (run.length > 0) return { kind: "run", stepIds: run };
  const activations = ready.filter((step) => planStepModes[step.kind] === "activate").map((step) => step.id);
  if (activations.length > 0) return { kind: "await_activation", stepIds: activations };

  const awaiting = idsWith(steps, "awaiting_activation");
  if (awaiting.length > 0) return { kind: "idle", reason: "awaiting_activation", stepIds: awaiting };
  const running = idsWith(steps, "running");
  if (running.length > 0) return { kind: "idle", reason: "steps_in_flight", stepIds: running };
  if (heldUntil) return { kind: "wait", until: heldUntil.until, wave: heldUntil.wave };

  if (steps.every((step) => step.status === "succeeded")) {
    // The last wave's hold is a bake time too: the plan stays running (and guarded) until it ends.
    const last = releases.at(-1);
    if (last && now.getTime() < last.until.getTime()) return { kind: "wait", until: last.until, wave: last.wave };
    return { kind: "complete" };
  }
  // Unreachable with consistent data; said out loud rather than idling forever.
  return { kind: "halted", reason: "stalled", stepIds: idsWith(steps, "pending") };
}

function idsWith(steps: readonly RunnableStep[], status: StepStatus): string[] {
  return steps.filter((step) => step.status === status).map((step) => step.id);
}

function checkedWaveOrder(waves: readonly { index: number; holdSeconds: number }[], steps: readonly RunnableStep[]) {
  const known = new Map(waves.map((wave) => [wave.index, wave]));
  for (const step of steps) {
    if (!known.has(step.wave)) throw new AppError("internal", `Step ${step.id} belongs to wave ${step.wave}, which the plan doesn't have.`);
  }
  const used = new Set(steps.map((step) => step.wave));
  return [...known.values()].filter((wave) => used.has(wave.index)).sort((a, b) => a.index - b.index);
}

/** When the wave lets the next one go: its last widen's finish plus its hold; null while unfinished. */
function waveRelease(wave: { index: number; holdSeconds: number }, steps: readonly RunnableStep[]): { until: Date; wave: number } | null {
  const own = steps.filter((step) => step.wave === wave.index);
  if (!own.every((step) => step.status === "succeeded")) return null;
  let lastWiden = -Infinity;
  for (const step of own) {
    if (step.kind !== "widen") continue;
    // Timing a hold from a guess could open the next wave early; refuse instead.
    if (!step.finishedAt) throw new AppError("internal", `Widen step ${step.id} succeeded without a finish time; can't time the hold.`);
    lastWiden = Math.max(lastWiden, step.finishedAt.getTime());
  }
  if (lastWiden === -Infinity) throw new AppError("internal", `Wave ${wave.index} has no widen step; can't time its hold.`);
  return { until: new Date(lastWiden + wave.holdSeconds * 1000), wave: wave.index };
}
