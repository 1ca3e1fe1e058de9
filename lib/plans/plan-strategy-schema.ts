import { z } from "zod";

/** Upper bound for any hold: a day. Longer bakes are a pause, not a hold, so nobody waits on a typo. */
export const MAX_HOLD_SECONDS = 86_400;
/** More stages than this stops being a canary and becomes a slow one-by-one with extra paperwork. */
export const MAX_CANARY_STAGES = 10;

const holdSecondsSchema = z
  .int({ error: "Enter the hold time in whole seconds" })
  .min(0, "The hold time can't be negative")
  .max(MAX_HOLD_SECONDS, `Hold at most ${MAX_HOLD_SECONDS} seconds (a day); pause the plan for longer bakes`);

/**
 * Optional LB weight to widen to. Without it a node goes back to the weight it had before the
 * plan, which is what people expect; a target lets a stage keep new nodes at reduced traffic.
 */
const targetWeightSchema = z
  .int({ error: "Enter the target LB weight as a whole number" })
  .min(0, "The target LB weight is 0..100")
  .max(100, "The target LB weight is 0..100")
  .optional();

export const canaryStageSchema = z.strictObject({
  percent: z
    .int({ error: "Enter the stage as a whole percentage" })
    .min(1, "A stage covers 1..100 percent of the plan's nodes")
    .max(100, "A stage covers 1..100 percent of the plan's nodes"),
  holdSeconds: holdSecondsSchema,
  targetWeight: targetWeightSchema,
});
export type CanaryStage = z.infer<typeof canaryStageSchema>;

const rollingCanarySchema = z.strictObject({
  kind: z.literal("rolling_canary"),
  stages: z
    .array(canaryStageSchema, { error: "Add at least one stage" })
    .min(1, "Add at least one stage")
    .max(MAX_CANARY_STAGES, `Use at most ${MAX_CANARY_STAGES} stages`)
    // Percentages are cumulative, so a stage that doesn't grow would widen nothing, and a plan
    // that stops short of 100 would leave nodes on the old release while reporting success.
    .superRefine((stages, ctx) => {
      stages.forEach((stage, index) => {
        const previous = stages[index - 1];
        if (previous && stage.percent <= previous.percent) {
          ctx.addIssue({
            code: "custom",
            path: [index, "percent"],
            message: `Stage ${index + 1} must cover more than stage ${index} (${previous.percent}%)`,
          });
        }
      });
      const last = stages.at(-1);
      if (last && last.percent !== 100) {
        ctx.addIssue({ code: "custom", path: [stages.length - 1, "percent"], message: "The last stage must cover 100% of the nodes" });
      }
    }),
});

const rollingOneByOneSchema = z.strictObject({
  kind: z.literal("rolling_one_by_one"),
  /** Observation time after each node is widened, before the next one is drained. */
  holdSeconds: holdSecondsSchema.default(0),
  targetWeight: targetWeightSchema,
});

const bigBangSchema = z.strictObject({
  kind: z.literal("big_bang"),
  /** Observation time after the single wave before the plan is declared complete. */
  holdSeconds: holdSecondsSchema.default(0),
  targetWeight: targetWeightSchema,
});

/** How a plan spreads its nodes over waves; see docs/plans.md for the exact wave arithmetic. */
export const planStrategySchema = z.discriminatedUnion("kind", [rollingCanarySchema, rollingOneByOneSchema, bigBangSchema], {
  error: "Choose a strategy: rolling_canary, rolling_one_by_one or big_bang",
});

export type PlanStrategy = z.output<typeof planStrategySchema>;
export type PlanStrategyInput = z.input<typeof planStrategySchema>;
export type PlanStrategyKind = PlanStrategy["kind"];
