import { z } from "zod";

// zod 4 numbers refuse NaN and ±Infinity already, so a limit is always comparable.
const finite = (what: string) => z.number({ error: `Enter ${what} as a number` });

/**
 * Thresholds checked before traffic is widened. All optional: a plan only guards what its author
 * can observe. Strict, so a misspelt key ("maxP95") is refused instead of silently guarding nothing.
 * Limits are inclusive: an observation equal to the limit passes.
 */
export const planGuardrailsSchema = z.strictObject({
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
  // Relative to the baseline cohort, judged by the canary analysis: 15 allows 1.15× the tokens per task.
  maxTokenSpendDeltaPercent: finite("the token spend delta limit")
    .min(0, "The token spend delta limit is 0..1000 %")
    .max(1000, "The token spend delta limit is 0..1000 %")
    .optional(),
  minEvalScore: finite("the eval score floor").min(0, "The eval score floor is 0..1").max(1, "The eval score floor is 0..1").optional(),
});

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

/**
 * The guardrails that are instantaneous readings of one node, checked by the widen gate on every
 * upgraded node's latest report. The other two are relative to the baseline cohort or come from
 * capability checks, so only the canary analysis can judge them.
 */
export const INSTANT_GUARDRAILS = [
  "maxMemoryPercent",
  "maxQueueDepth",
  "maxP95Ms",
  "minSuccessRate",
] as const satisfies readonly PlanGuardrailKey[];
