import { z } from "zod";
import { agentProtocolLimits } from "./agent-protocol-limits";

/**
 * What a post-upgrade capability check exercises. A startup check proves the gateway came back;
 * these prove it still does what the release promised (field note: "verify capabilities, not
 * version numbers"). The vocabulary is closed so every driver and the canary judge agree on it.
 */
export const capabilityKinds = [
  "tool_call_round_trip",
  "memory_lookup",
  "long_work_delivery",
  "webhook_delivery",
  "model_reply",
  // The gateway's own post-upgrade probes, which a real OpenClaw runs without a model key:
  // `openclaw health` (the gateway answers, its event loop is not degraded, no plugin failed to
  // load) and `openclaw doctor --post-upgrade` (plugin compatibility with the new core).
  "gateway_health",
  "plugin_compat",
] as const;
export const capabilityKindSchema = z.enum(capabilityKinds);
export type CapabilityKind = z.infer<typeof capabilityKindSchema>;

/** A check id: a slug such as "tool-roundtrip" (it appears in metric labels and logs). */
export const capabilityCheckIdSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, "must be a slug like tool-roundtrip: 1–64 lowercase letters, digits and hyphens");

/**
 * One check to run, as a release manifest lists it and a verify request carries it. `weight`
 * (default 1) is its share of the overall score; `timeoutMs` bounds one run (the driver's own
 * default per kind when absent).
 */
export const capabilityCheckSchema = z.strictObject({
  id: capabilityCheckIdSchema,
  kind: capabilityKindSchema,
  description: z.string().max(500).optional(),
  weight: z.number().positive().max(100).optional(),
  timeoutMs: z.int().min(100).max(600_000).optional(),
});
export type CapabilityCheck = z.infer<typeof capabilityCheckSchema>;

/** A list of checks with unique ids, at most `agentProtocolLimits.maxCapabilityChecks`. */
export const capabilityCheckListSchema = z
  .array(capabilityCheckSchema)
  .max(agentProtocolLimits.maxCapabilityChecks)
  .check((ctx) => {
    const seen = new Set<string>();
    ctx.value.forEach((check, index) => {
      if (seen.has(check.id)) {
        ctx.issues.push({ code: "custom", path: [index, "id"], input: check.id, message: `duplicate check id "${check.id}"` });
      }
      seen.add(check.id);
    });
  });
