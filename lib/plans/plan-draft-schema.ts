import { z } from "zod";
import { analysisConfigSchema } from "@/lib/analysis/analysis-config-schema";
import { planGuardrailsSchema } from "./plan-guardrails-schema";
import { planStrategySchema } from "./plan-strategy-schema";
import { stepTimeoutsSchema } from "./step-timeouts";

/** More than this many plan nodes is a fleet migration, not a plan; split it. */
export const MAX_PLAN_NODES = 500;

const idSchema = (what: string) =>
  z
    .string({ error: `Choose ${what}` })
    .trim()
    .min(1, `Choose ${what}`)
    .max(64, `${what} is not a valid id`);

/**
 * How many distinct approvers (never the author) must approve before the plan may start.
 * Capped at 5: beyond that approvals stop being read and become a queue.
 */
export const approvalsRequiredSchema = z
  .int({ error: "Enter how many approvals are required (1..5)" })
  .min(1, "At least one approval is required")
  .max(5, "At most 5 approvals can be required");

/** Whether a failed gate or step rolls the plan back by itself instead of pausing for a human. */
export const autoRollbackSchema = z.boolean({ error: "Choose whether to roll back automatically" });

/**
 * What the plan builder form and POST /api/plans send. Shared by the client (inline errors), the
 * server action and the API; the server layer still checks the ids exist and the nodes' roles.
 */
export const planDraftSchema = z
  .strictObject({
    title: z.string({ error: "Enter a title" }).trim().min(1, "Enter a title").max(120, "Keep the title under 120 characters"),
    fromReleaseId: idSchema("the release the nodes run now"),
    toReleaseId: idSchema("the release to upgrade to"),
    nodeIds: z
      .array(idSchema("a node"), { error: "Choose at least one node" })
      .min(1, "Choose at least one node")
      .max(MAX_PLAN_NODES, `Choose at most ${MAX_PLAN_NODES} nodes`)
      .refine((ids) => new Set(ids).size === ids.length, "Each node can be in the plan only once"),
    strategy: planStrategySchema,
    guardrails: planGuardrailsSchema.default({}),
    approvalsRequired: approvalsRequiredSchema,
    autoRollback: autoRollbackSchema,
    /** Seconds per step kind before a step is cancelled and fails; unset kinds use the defaults. */
    stepTimeouts: stepTimeoutsSchema.default({}),
    /** Canary analysis settings (thresholds, significance, windows, per-metric tolerances); defaults from the field notes. */
    analysis: analysisConfigSchema.prefault({}),
  })
  // Reported on toReleaseId because that's the field the author changes to fix it.
  .refine((draft) => draft.fromReleaseId !== draft.toReleaseId, {
    path: ["toReleaseId"],
    message: "Choose a release different from the one the nodes run now",
  });

export type PlanDraft = z.output<typeof planDraftSchema>;
export type PlanDraftInput = z.input<typeof planDraftSchema>;
