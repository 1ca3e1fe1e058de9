import { z } from "zod";
import { operationSchema } from "./operation-schema";

/** Every code the agent can answer with in `{ error: { code, message } }`, and its HTTP status. */
export const agentErrorStatus = {
  missing_signature: 401,
  bad_signature: 401,
  stale_timestamp: 401,
  replayed_request: 401,
  idempotency_conflict: 409,
  action_in_progress: 409,
  operation_finished: 409,
  invalid_request: 400,
  unknown_action: 404,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  replay_cache_full: 503,
  /** The agent could not read its replay journal at start and refuses signatures it may have seen. */
  replay_state_lost: 503,
  /** The agent could not write a webhook-id to its replay journal, so it withholds the answer. */
  replay_journal_unavailable: 503,
  internal_error: 500,
} as const;

export type AgentErrorCode = keyof typeof agentErrorStatus;

export const agentErrorCodeSchema = z.enum(Object.keys(agentErrorStatus) as [AgentErrorCode, ...AgentErrorCode[]]);

export const agentErrorBodySchema = z.object({
  error: z.object({
    code: agentErrorCodeSchema,
    message: z.string(),
    /** zod field errors for invalid_request. */
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    /** For action_in_progress: the operation holding the node. */
    runningOperationId: z.string().optional(),
    /** For operation_finished: the operation as it ended. */
    operation: operationSchema.optional(),
    /** For 503s: when trying again can succeed (also sent as a Retry-After header). */
    retryAfterSec: z.int().min(0).optional(),
  }),
});
export type AgentErrorBody = z.infer<typeof agentErrorBodySchema>;
