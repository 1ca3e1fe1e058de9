import { z } from "zod";

/** What an approver sends to retry a failed step: why it is worth another attempt, for the audit log. */
export const retryStepInputSchema = z.strictObject({
  reason: z
    .string({ error: "Say why the step should be retried" })
    .trim()
    .min(3, "Say why the step should be retried (at least 3 characters)")
    .max(500, "Keep the reason under 500 characters"),
});
export type RetryStepInput = z.infer<typeof retryStepInputSchema>;
