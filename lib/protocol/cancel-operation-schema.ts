import { z } from "zod";
import { operationSchema } from "./operation-schema";

/**
 * Body of POST /v1/operations/:id/cancel. The reason ends up in the operation's error message and
 * log, so the operator reading the node's history sees why it was stopped (e.g. "step timed out").
 */
export const cancelOperationRequestSchema = z.strictObject({
  reason: z
    .string()
    .min(1)
    .max(500)
    .refine((reason) => reason.trim() !== "", "reason must not be blank"),
});
export type CancelOperationRequest = z.infer<typeof cancelOperationRequestSchema>;

/**
 * Reply to a cancel: 200 with the operation once it has ended (`failed`, error code `cancelled`),
 * or 202 with it still running when its step did not stop within agentProtocolLimits.cancelWaitMs.
 */
export const cancelOperationReplySchema = z.object({ operation: operationSchema });
export type CancelOperationReply = z.infer<typeof cancelOperationReplySchema>;
