import { z } from "zod";
import { signedAuditCheckpointSchema } from "@/lib/audit/audit-checkpoint";

/** v2 added the signed checkpoints to the trailer; v1 bundles (before them) are read as unsigned. */
export const INCIDENT_BUNDLE_FORMAT = "rollbook.incident-bundle/v2";
const INCIDENT_BUNDLE_FORMATS = ["rollbook.incident-bundle/v1", INCIDENT_BUNDLE_FORMAT] as const;

/** Stated in the bundle so a reviewer can re-implement the check in any language (see docs/exports.md). */
export const CHAIN_ALGORITHM = "sha256 over RFC 8785 canonical JSON of {prevHash, ...event}";

/** A plan's incident, or everything in a time window (ISO timestamps, `to` exclusive). */
export const incidentBundleScopeSchema = z.union([
  z.strictObject({ planId: z.string().min(1) }),
  z.strictObject({ from: z.iso.datetime(), to: z.iso.datetime() }),
]);
export type IncidentBundleScope = z.infer<typeof incidentBundleScopeSchema>;

// Hashes are plain strings here, not hex-checked: a tampered hash should be reported by the chain
// check as "event #n does not match", which says where, not as a schema error that says nothing.
// Strict objects: a key the hash does not cover must not ride along unnoticed.
const bundleEventSchema = z.strictObject({
  seq: z.string(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorEmail: z.string().nullable(),
  kind: z.string(),
  nodeId: z.string().nullable(),
  planId: z.string().nullable(),
  data: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});

const chainTrailerSchema = z.strictObject({
  algorithm: z.literal(CHAIN_ALGORITHM),
  /** prevHash of the first event; the genesis hash when the bundle starts at the log's beginning. */
  startPrevHash: z.string().nullable(),
  /** hash of the last event; `checkpoint` signs it, so it cannot be moved back unnoticed. */
  headHash: z.string().nullable(),
  count: z.int().min(0),
  firstSeq: z.string().nullable(),
  lastSeq: z.string().nullable(),
  /** The last event's sequence and hash, signed at export: catches events cut off the end. */
  checkpoint: signedAuditCheckpointSchema.nullable().optional(),
  /** The whole log's signed head when the export began: compare the live log with it later. */
  logCheckpoint: signedAuditCheckpointSchema.nullable().optional(),
});
export type IncidentBundleChain = z.infer<typeof chainTrailerSchema>;

/** A parsed bundle file. `plan` is a convenience copy, not covered by the hashes, so it is not checked. */
export const incidentBundleSchema = z.object({
  format: z.enum(INCIDENT_BUNDLE_FORMATS),
  generatedAt: z.string(),
  scope: incidentBundleScopeSchema,
  plan: z.unknown().optional(),
  events: z.array(bundleEventSchema),
  chain: chainTrailerSchema,
});
export type IncidentBundle = z.infer<typeof incidentBundleSchema>;
