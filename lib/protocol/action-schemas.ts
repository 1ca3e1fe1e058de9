import { z } from "zod";
import { bookmarkSchema } from "./bookmark-schema";
import { capabilityCheckListSchema } from "./capability-check-schema";
import { lockSchema } from "./lock-schema";

const reason = z.string().max(500).optional();

/**
 * Request body of each POST /v1/actions/{action}. Strict objects: a misspelt field is an error,
 * not something silently ignored on a production node.
 */
export const actionSchemas = {
  drain: z.strictObject({ reason }),
  undrain: z.strictObject({ reason }),
  "set-weight": z.strictObject({ weight: z.int().min(0).max(100), reason }),
  upgrade: z.strictObject({ lock: lockSchema, reason }),
  doctor: z.strictObject({}),
  restart: z.strictObject({ reason }),
  rollback: z.strictObject({ bookmark: bookmarkSchema, reason }),
  /**
   * `checks`: the release's capability checks; the agent runs exactly these and remembers them as
   * the node's check set. Omitted: the set it was last given (or the driver's own probes). `[]`:
   * the release has none, so the node stops reporting a capability score.
   */
  verify: z.strictObject({ expect: lockSchema.optional(), checks: capabilityCheckListSchema.optional() }),
} as const;

export type ActionName = keyof typeof actionSchemas;
export type ActionBody<A extends ActionName> = z.infer<(typeof actionSchemas)[A]>;

export const actionNames = Object.keys(actionSchemas) as ActionName[];
export const actionNameSchema = z.enum(actionNames as [ActionName, ...ActionName[]]);

/** Actions that change the node; only one of these may be queued or running at a time. */
export const mutatingActions: ReadonlySet<ActionName> = new Set<ActionName>([
  "drain",
  "undrain",
  "set-weight",
  "upgrade",
  "restart",
  "rollback",
]);

/**
 * Mutating actions that change what the node runs, not just how much traffic it gets: while one
 * is in flight the node is not ready. A weight change or a drain leaves its software and health as
 * they were, and a rollout widens one node while its already-upgraded peers are being gated.
 */
export const softwareChangingActions: ReadonlySet<ActionName> = new Set<ActionName>(["upgrade", "restart", "rollback"]);

export function isActionName(value: string): value is ActionName {
  return Object.hasOwn(actionSchemas, value);
}
