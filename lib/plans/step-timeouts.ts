import { z } from "zod";
import { planStepKinds, type PlanStepKind } from "./plan-step-kinds";

/** Shortest and longest timeout a plan may set for one step. */
export const STEP_TIMEOUT_BOUNDS_SECONDS = { min: 10, max: 24 * 3600 } as const;

/**
 * How long one attempt of a step may run, in seconds, when the plan sets nothing. Generous enough
 * for a healthy node and short enough that a hung one is noticed within a coffee break. A widen
 * is two agent calls (set weight, undrain) behind a gate.
 */
export const defaultStepTimeoutSeconds: Readonly<Record<PlanStepKind, number>> = {
  drain: 120,
  upgrade: 15 * 60,
  doctor: 180,
  restart: 5 * 60,
  verify: 180,
  widen: 180,
};

/**
 * An upgrade that ships a memory-schema migration gets the field report's budget instead: "max 30
 * minutes per table" (shared field notes, weekend of four upgrades). Past that the migration is
 * cancelled rather than left to hold the node drained for hours.
 */
export const MIGRATION_UPGRADE_TIMEOUT_SECONDS = 30 * 60;

const seconds = (kind: PlanStepKind) =>
  z
    .int({ error: `Enter the ${kind} timeout in whole seconds` })
    .min(STEP_TIMEOUT_BOUNDS_SECONDS.min, `The ${kind} timeout is at least ${STEP_TIMEOUT_BOUNDS_SECONDS.min} s`)
    .max(STEP_TIMEOUT_BOUNDS_SECONDS.max, `The ${kind} timeout is at most ${STEP_TIMEOUT_BOUNDS_SECONDS.max / 3600} h`)
    .optional();

/** Per-kind overrides a plan may carry; unknown kinds are refused so a typo cannot hide a default. */
export const stepTimeoutsSchema = z.strictObject(
  Object.fromEntries(planStepKinds.map((kind) => [kind, seconds(kind)])) as Record<PlanStepKind, ReturnType<typeof seconds>>,
);
export type StepTimeouts = z.infer<typeof stepTimeoutsSchema>;

/** The timeout of one step of a plan: the plan's own value, else the default for its kind. */
export function stepTimeoutSeconds(options: { kind: PlanStepKind; overrides: StepTimeouts; releaseMigratesMemory: boolean }): number {
  const own = options.overrides[options.kind];
  if (own !== undefined) return own;
  if (options.kind === "upgrade" && options.releaseMigratesMemory) return MIGRATION_UPGRADE_TIMEOUT_SECONDS;
  return defaultStepTimeoutSeconds[options.kind];
}
