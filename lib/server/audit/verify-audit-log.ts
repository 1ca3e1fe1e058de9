import "server-only";
import type { SignedAuditCheckpoint } from "@/lib/audit/audit-checkpoint";
import { verifyAuditChain, type AuditChainVerification } from "../audit-log";
import { auditCheckpointFile, readAuditCheckpointFile } from "./audit-checkpoint-file";

export interface AuditLogVerification extends AuditChainVerification {
  /** The checkpoint file that was read (null when switched off or not asked for). */
  checkpointFile: { path: string; count: number; newest: SignedAuditCheckpoint | null; problems: string[] } | null;
}

/**
 * What `GET /api/audit/verify` and `npm run audit:verify` report: the chain, judged against the
 * newest checkpoint of this dashboard's checkpoint file plus any checkpoints handed in (from a
 * bundle, a broadcast, a saved endpoint reply). A line of the file that is not a valid checkpoint
 * fails the verification too: the file is evidence, and a damaged one must be looked at.
 */
export async function verifyAuditLog(
  options: { checkpoints?: readonly SignedAuditCheckpoint[]; useCheckpointFile?: boolean; trustedPublicKey?: string } = {},
): Promise<AuditLogVerification> {
  const file = options.useCheckpointFile === false ? null : await auditCheckpointFile();
  const contents = file ? await readAuditCheckpointFile(file) : null;
  const checkpoints = [...(contents?.newest ? [contents.newest] : []), ...(options.checkpoints ?? [])];
  const result = await verifyAuditChain({
    checkpoints,
    ...(options.trustedPublicKey !== undefined ? { trustedPublicKey: options.trustedPublicKey } : {}),
  });
  return { ...result, ok: result.ok && (contents?.problems.length ?? 0) === 0, checkpointFile: contents };
}
