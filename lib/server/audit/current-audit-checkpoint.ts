import "server-only";
import type { SignedAuditCheckpoint } from "@/lib/audit/audit-checkpoint";
import { GENESIS_HASH } from "@/lib/audit/audit-hash";
import { db } from "../db";
import { auditCheckpointKey } from "./audit-checkpoint-key";

/**
 * The chain's head right now (sequence 0 and the genesis hash while it is empty), signed. One
 * indexed read and one signature, outside any transaction: callers are exports, broadcasts, the
 * checkpoint endpoint and the periodic checkpoint job, never the audit append itself.
 */
export async function currentAuditCheckpoint(now: Date = new Date()): Promise<SignedAuditCheckpoint> {
  const head = await db.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  return auditCheckpointKey().sign({ sequence: head?.seq.toString() ?? "0", hash: head?.hash ?? GENESIS_HASH, at: now.toISOString() });
}
