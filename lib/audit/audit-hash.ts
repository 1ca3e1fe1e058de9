import { createHash } from "node:crypto";
import canonicalize from "canonicalize";

/** The fields of an audit event that its hash covers, in their stored form. */
export interface AuditEventContent {
  seq: string;
  at: string;
  actorId: string | null;
  actorEmail: string | null;
  kind: string;
  nodeId: string | null;
  planId: string | null;
  data: unknown;
}

export interface ChainedAuditEvent extends AuditEventContent {
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = "0".repeat(64);

/**
 * Hash of one event chained to its predecessor. The sequence number is inside the hash, so moving
 * a row breaks the chain as surely as editing or deleting one. RFC 8785 canonical JSON keeps the
 * hash independent of key order, so a JSON export can be re-verified offline by any language.
 */
export function auditHash(prevHash: string, event: AuditEventContent): string {
  const canonical = canonicalize({ prevHash, ...event });
  if (canonical === undefined) throw new Error("audit event cannot be encoded");
  return createHash("sha256").update(canonical).digest("hex");
}

export interface ChainBreak {
  seq: string;
  reason: "hash_mismatch" | "prev_hash_mismatch";
  expected: string;
  actual: string;
}

/**
 * Walks events in sequence order and reports the first link that does not hold. Takes any
 * (async) iterable so a verifier can stream rows from the database or read an export file.
 */
export async function findFirstChainBreak(
  events: AsyncIterable<ChainedAuditEvent> | Iterable<ChainedAuditEvent>,
  startHash: string = GENESIS_HASH,
): Promise<{ checked: number; firstBreak: ChainBreak | null }> {
  let expectedPrev = startHash;
  let checked = 0;
  for await (const event of events) {
    if (event.prevHash !== expectedPrev) {
      return { checked, firstBreak: { seq: event.seq, reason: "prev_hash_mismatch", expected: expectedPrev, actual: event.prevHash } };
    }
    const { prevHash, hash, ...content } = event;
    const recomputed = auditHash(prevHash, content);
    if (recomputed !== hash) {
      return { checked, firstBreak: { seq: event.seq, reason: "hash_mismatch", expected: recomputed, actual: hash } };
    }
    expectedPrev = hash;
    checked += 1;
  }
  return { checked, firstBreak: null };
}
