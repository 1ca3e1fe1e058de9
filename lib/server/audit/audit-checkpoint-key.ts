import "server-only";
import { auditCheckpointSigner, type AuditCheckpointSigner } from "@/lib/audit/audit-checkpoint";

let cached: { secret: string; signer: AuditCheckpointSigner } | undefined;

/**
 * The dashboard's checkpoint signing key, derived from ROLLBOOK_SECRET_KEY: every instance with
 * the same secret signs with the same key. Changing the secret changes the key, and checkpoints
 * signed before then no longer verify (docs/exports.md, "Rotating the key").
 */
export function auditCheckpointKey(): AuditCheckpointSigner {
  const secret = process.env.ROLLBOOK_SECRET_KEY;
  if (!secret) {
    throw new Error("ROLLBOOK_SECRET_KEY is not set: it derives the key that signs audit checkpoints (see README, Configuration)");
  }
  if (cached?.secret !== secret) cached = { secret, signer: auditCheckpointSigner(secret) };
  return cached.signer;
}
