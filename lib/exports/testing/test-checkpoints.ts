import { auditCheckpointSigner, type SignedAuditCheckpoint } from "@/lib/audit/audit-checkpoint";
import { GENESIS_HASH, type ChainedAuditEvent } from "@/lib/audit/audit-hash";

/** The dashboard's checkpoint key, as tests see it: derived from a fixed test-only secret. */
export const testCheckpointSigner = auditCheckpointSigner("test-only-audit-checkpoint-secret");

/** Someone else's key: what a forger who cut a bundle would re-sign it with. */
export const otherCheckpointSigner = auditCheckpointSigner("someone-else-entirely-0123456789");

/** The log's signed head when the whole given chain is the log. */
export function testLogHead(events: readonly ChainedAuditEvent[], at: Date, signer = testCheckpointSigner): SignedAuditCheckpoint {
  const last = events.at(-1);
  return signer.sign({ sequence: last?.seq ?? "0", hash: last?.hash ?? GENESIS_HASH, at: at.toISOString() });
}
