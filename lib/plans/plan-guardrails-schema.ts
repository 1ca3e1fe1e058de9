import { z } from "zod";

// zod 4 numbers refuse NaN and ±Infinity already, so a limit is always comparable.
const finite = (what: string) => z.number({ error: `Enter ${what} as a number` });

/**
 * Thresholds checked before traffic is widened. All optional: a plan only guards what its author
 * can observe. Strict, so a misspelt key ("maxP95") is refused instead of silently guarding nothing.
 * Limits are inclusive: an observation equal to the limit passes.
 */
export const planGuardrailsSchema = z
  .strictObject({
    maxMemoryPercent: finite("the memory limit").min(1, "The memory limit is 1..100 %").max(100, "The memory limit is 1..100 %").optional(),
    maxQueueDepth: z
      .int({ error: "Enter the queue depth limit as a whole number" })
      .min(0, "The queue depth limit can't be negative")
      .optional(),
    maxP95Ms: finite("the p95 latency limit").positive("The p95 latency limit must be above 0 ms").optional(),
    minSuccessRate: finite("the success rate floor")
      .min(0, "The success rate floor is 0..1")
      .max(1, "The success rate floor is 0..1")
      .optional(),
    // A delta, so negative values are meaningful: "-10" demands the new release spend 10% less.
    maxTokenSpendDeltaPercent: finite("the token spend delta limit")
      .min(-100, "The token spend delta limit is -100..1000 %")
      .max(1000, "The token spend delta limit is -100..1000 %")
      .optional(),
    minEvalScore: finite("the eval score floor").min(0, "The eval score floor is 0..1").max(1, "The eval score floor is 0..1").optional(),
  })
  .superRefine((guardrails, ctx) => {
    // The gate passes only on positive evidence, and nothing feeds it these two observations yet: a
    // plan that set them could never widen. Refused up front, with the reason, instead.
    for (const key of UNOBSERVED_GUARDRAILS) {
      if (guardrails[key] !== undefined) {
        ctx.addIssue({ code: "custom", path: [key], message: UNOBSERVED_REASON[key] });
      }
    }
  });

const UNOBSERVED_GUARDRAILS = ["maxTokenSpendDeltaPercent", "minEvalScore"] as const;

const UNOBSERVED_REASON: Record<(typeof UNOBSERVED_GUARDRAILS)[number], string> = {
  maxTokenSpendDeltaPercent:
    "Rollbook does not measure token spend per task against the stable cohort yet, so this guardrail could never pass; leave it out",
  minEvalScore: "Rollbook has no eval score source yet, so this guardrail could never pass; leave it out",
};

export type PlanGuardrails = z.infer<typeof planGuardrailsSchema>;
export type PlanGuardrailKey = keyof PlanGuardrails;

export interface GuardrailLabel {
  label: string;
  unit: string;
  bound: "max" | "min";
}

/**
 * How each guardrail reads in gate messages, exports and forms. Keys are stored in audit events,
 * so a key is never renamed; a label may be reworded and old trips then read with the new words.
 */
export const GUARDRAIL_LABELS: Readonly<Record<PlanGuardrailKey, GuardrailLabel>> = {
  maxMemoryPercent: { label: "memory", unit: "%", bound: "max" },
  maxQueueDepth: { label: "queue depth", unit: "", bound: "max" },
  maxP95Ms: { label: "p95 latency", unit: " ms", bound: "max" },
  minSuccessRate: { label: "success rate", unit: "", bound: "min" },
  maxTokenSpendDeltaPercent: { label: "token spend delta", unit: "%", bound: "max" },
  minEvalScore: { label: "eval score", unit: "", bound: "min" },
};
