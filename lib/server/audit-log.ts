import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { checkAuditCheckpoint, type AuditCheckpointProblem, type SignedAuditCheckpoint } from "@/lib/audit/audit-checkpoint";
import { auditHash, findFirstChainBreak, GENESIS_HASH, type ChainBreak, type ChainedAuditEvent } from "@/lib/audit/audit-hash";
import type { AuditEventView } from "@/lib/audit/audit-event-view";
import { auditCheckpointKey } from "./audit/audit-checkpoint-key";
import { db, type DbTransaction } from "./db";

// Any constant works; it only has to be the same for every writer of the chain.
const AUDIT_CHAIN_LOCK_KEY = 7_245_001;

export interface AuditEntry {
  kind: string;
  actor?: { id: string; email: string } | null;
  nodeId?: string | null;
  planId?: string | null;
  data?: Prisma.InputJsonObject;
}

/**
 * Appends one event to the hash chain inside the caller's transaction, so the event commits or
 * rolls back with the change it describes. A transaction-scoped advisory lock serialises writers:
 * the chain needs a total order and the sequence must match it.
 */
export async function appendAuditEvent(tx: DbTransaction, entry: AuditEntry): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})`;
  const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  const prevHash = last?.hash ?? GENESIS_HASH;
  const seq = (last?.seq ?? 0n) + 1n;
  // Millisecond precision: what Postgres timestamp(3) stores is what we hash.
  const at = new Date(Math.floor(Date.now()));
  const content = {
    seq: seq.toString(),
    at: at.toISOString(),
    actorId: entry.actor?.id ?? null,
    actorEmail: entry.actor?.email ?? null,
    kind: entry.kind,
    nodeId: entry.nodeId ?? null,
    planId: entry.planId ?? null,
    data: entry.data ?? {},
  };
  await tx.auditEvent.create({
    data: { ...content, seq, at, data: entry.data ?? {}, prevHash, hash: auditHash(prevHash, content) },
  });
}

/** Appends one event in a transaction of its own, for events that have no other write (sign-ins). */
export async function recordAuditEvent(entry: AuditEntry): Promise<void> {
  await db.$transaction((tx) => appendAuditEvent(tx, entry));
}

/**
 * Audit events in sequence order, read in batches so a range of any size streams in bounded memory.
 * `fromSeq`/`toSeq` are inclusive; `from`/`to` bound the event time (`to` exclusive).
 */
export async function* auditEventsInOrder(
  options: { fromSeq?: bigint; toSeq?: bigint; from?: Date; to?: Date; batchSize?: number } = {},
): AsyncGenerator<ChainedAuditEvent> {
  const batchSize = options.batchSize ?? 2_000;
  let after = options.fromSeq !== undefined ? options.fromSeq - 1n : 0n;
  for (;;) {
    const rows = await db.auditEvent.findMany({
      where: {
        seq: { gt: after, ...(options.toSeq !== undefined ? { lte: options.toSeq } : {}) },
        ...(options.from || options.to
          ? { at: { ...(options.from ? { gte: options.from } : {}), ...(options.to ? { lt: options.to } : {}) } }
          : {}),
      },
      orderBy: { seq: "asc" },
      take: batchSize,
    });
    for (const row of rows) {
      yield {
        seq: row.seq.toString(),
        at: row.at.toISOString(),
        actorId: row.actorId,
        actorEmail: row.actorEmail,
        kind: row.kind,
        nodeId: row.nodeId,
        planId: row.planId,
        data: row.data,
        prevHash: row.prevHash,
        hash: row.hash,
      };
    }
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1]!.seq;
  }
}

export interface AuditChainVerification {
  /** No broken link and no checkpoint problem. */
  ok: boolean;
  checked: number;
  firstBreak: ChainBreak | null;
  head: { seq: string; hash: string } | null;
  checkpoints: { checked: number; problems: AuditCheckpointProblem[] };
}

/**
 * Re-computes the whole chain in batches and reports the first broken link, if any, then judges
 * the given signed checkpoints against it. The chain alone cannot see rows removed from its end
 * (what is left is a valid shorter chain); a checkpoint kept outside the table can: the chain
 * then ends before it, or the row at its sequence has another hash. Checkpoints must be signed
 * by `trustedPublicKey`, by default this dashboard's own key.
 */
export async function verifyAuditChain(
  options: { checkpoints?: readonly SignedAuditCheckpoint[]; trustedPublicKey?: string } = {},
): Promise<AuditChainVerification> {
  const result = await findFirstChainBreak(auditEventsInOrder());
  const row = await db.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  const head = row ? { seq: row.seq.toString(), hash: row.hash } : null;
  const checkpoints = options.checkpoints ?? [];
  const trustedPublicKey = checkpoints.length > 0 ? (options.trustedPublicKey ?? auditCheckpointKey().publicKey) : undefined;
  const problems: AuditCheckpointProblem[] = [];
  for (const checkpoint of checkpoints) {
    const sequence = BigInt(checkpoint.sequence);
    const atSequence = sequence > 0n ? await db.auditEvent.findUnique({ where: { seq: sequence }, select: { hash: true } }) : null;
    const problem = checkAuditCheckpoint({
      checkpoint,
      trustedPublicKey,
      lastSeq: head?.seq ?? null,
      hashAtSequence: atSequence?.hash ?? null,
    });
    if (problem) problems.push(problem);
  }
  return {
    ok: result.firstBreak === null && problems.length === 0,
    ...result,
    head,
    checkpoints: { checked: checkpoints.length, problems },
  };
}

/** The newest events first, for the fleet-wide timeline. */
export async function listRecentAuditEvents(options: { limit?: number } = {}): Promise<AuditEventView[]> {
  const rows = await db.auditEvent.findMany({ orderBy: { seq: "desc" }, take: Math.min(options.limit ?? 100, 500) });
  return rows.map(toAuditEventView);
}

/** A plan's events, oldest first, for its timeline. */
export async function listPlanAuditEvents(options: { planId: string; limit?: number }): Promise<AuditEventView[]> {
  const rows = await db.auditEvent.findMany({
    where: { planId: options.planId },
    orderBy: { seq: "asc" },
    take: Math.min(options.limit ?? 2_000, 10_000),
  });
  return rows.map(toAuditEventView);
}

function toAuditEventView(row: {
  seq: bigint;
  at: Date;
  kind: string;
  actorEmail: string | null;
  nodeId: string | null;
  planId: string | null;
  data: unknown;
}): AuditEventView {
  return {
    seq: row.seq.toString(),
    at: row.at.toISOString(),
    kind: row.kind,
    actorEmail: row.actorEmail,
    nodeId: row.nodeId,
    planId: row.planId,
    data: row.data,
  };
}
