import { z } from "zod";
import { agentProtocolLimits } from "./agent-protocol-limits";
import { capabilityCheckIdSchema, capabilityKindSchema } from "./capability-check-schema";

const unit = z.number().min(0).max(1);

/**
 * The outcome of one capability check. `ok`: the capability works at all (the round trip came
 * back, the anchor was found, the delivery arrived, within the timeout). `score`: how well, 0..1
 * (e.g. the share of probe turns answered correctly); a release can keep every check ok and still
 * lose quality, which only the score shows.
 */
export const capabilityCheckResultSchema = z.object({
  id: capabilityCheckIdSchema,
  kind: capabilityKindSchema,
  ok: z.boolean(),
  score: unit,
  durationMs: z.number().min(0),
  detail: z.string().max(500),
});
export type CapabilityCheckResult = z.infer<typeof capabilityCheckResultSchema>;

/**
 * A capability run: every check's result and the weighted score over them (a failed check counts
 * with its score, usually 0). The agent's verify action returns it, readiness carries the latest
 * one, and /metrics exposes `score` as `rollbook_capability_score`.
 */
export const capabilityReportSchema = z.object({
  score: unit,
  checks: z.array(capabilityCheckResultSchema).min(1).max(agentProtocolLimits.maxCapabilityResults),
  checkedAt: z.iso.datetime(),
});
export type CapabilityReport = z.infer<typeof capabilityReportSchema>;
