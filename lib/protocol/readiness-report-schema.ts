import { z } from "zod";
import { capabilityReportSchema } from "./capability-report-schema";
import { doctorReportSchema } from "./doctor-report-schema";
import { queueSnapshotSchema } from "./queue-snapshot-schema";
import { webhookDigestSchema } from "./webhook-digest-schema";

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const pluginNodeSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** The core range this plugin declares as peer, e.g. "^2026.0.0". */
  peer: z.string(),
  peerOk: z.boolean(),
});
export type PluginNode = z.infer<typeof pluginNodeSchema>;

export const installedTreeSchema = z.object({
  core: z.string().nullable(),
  plugins: z.record(z.string(), z.string()),
});
export type InstalledTree = z.infer<typeof installedTreeSchema>;

export const lbStateSchema = z.object({
  weight: z.int().min(0).max(100),
  drained: z.boolean(),
});
export type LbState = z.infer<typeof lbStateSchema>;

export const readinessReasonSchema = z.object({ code: z.string(), message: z.string() });
export type ReadinessReason = z.infer<typeof readinessReasonSchema>;

/**
 * GET /v1/readiness — everything a rollout gate needs in one document. `ready` is about health,
 * version agreement and capability checks that fail outright (a low score alone is left to the
 * canary judge); LB state (weight, drained) is reported beside it because a node is
 * routinely drained while being verified.
 */
export const readinessReportSchema = z.object({
  node: z.object({ name: z.string(), driver: z.string(), agentVersion: z.string() }),
  installed: installedTreeSchema,
  lockfile: z.object({ core: z.string().nullable(), plugins: z.record(z.string(), z.string()), sha256 }).nullable(),
  pluginTree: z.array(pluginNodeSchema),
  configHash: sha256.nullable(),
  doctor: doctorReportSchema,
  queue: queueSnapshotSchema,
  webhooks: webhookDigestSchema,
  lb: lbStateSchema,
  activeOperationId: z.string().nullable(),
  /**
   * The latest capability run (verify's, or the driver's periodic re-run of the same set); null
   * before any. Defaults to null so documents from agents that predate it still parse.
   */
  capabilities: capabilityReportSchema.nullable().default(null),
  ready: z.boolean(),
  reasons: z.array(readinessReasonSchema),
  warnings: z.array(readinessReasonSchema),
  ready_probe_sha256: sha256,
  generatedAt: z.iso.datetime(),
});
export type ReadinessReport = z.infer<typeof readinessReportSchema>;
