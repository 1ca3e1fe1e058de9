import { z } from "zod";

/**
 * What an approver sends with a decision that overrides the engine's caution (retry a failed step,
 * accept a marginal canary analysis): why, for the audit log.
 */
export const reasonInputSchema = z.strictObject({
  reason: z.string({ error: "Say why" }).trim().min(3, "Say why (at least 3 characters)").max(500, "Keep the reason under 500 characters"),
});
export type ReasonInput = z.infer<typeof reasonInputSchema>;
