import {
  checkAuditCheckpoint,
  describeAuditCheckpoint,
  verifyAuditCheckpointSignature,
  type AuditCheckpointProblem,
  type SignedAuditCheckpoint,
} from "@/lib/audit/audit-checkpoint";
import { findFirstChainBreak, GENESIS_HASH, type ChainBreak, type ChainedAuditEvent } from "@/lib/audit/audit-hash";
import { incidentBundleSchema } from "./incident-bundle-schema";

export type IncidentBundleProblem =
  | "invalid_format"
  | "chain_break"
  | "count_mismatch"
  | "head_mismatch"
  | "seq_mismatch"
  | "unsigned"
  | "untrusted_key"
  | "bad_signature"
  | "truncated"
  | "checkpoint_mismatch"
  | "unsigned_tail";

export type IncidentBundleVerification =
  | {
      ok: true;
      count: number;
      headHash: string | null;
      firstSeq: string | null;
      lastSeq: string | null;
      /** The bundle starts at the very first event of the log, so nothing can be missing before it. */
      fromGenesis: boolean;
      /** The public key the checkpoints are signed with; null for an unsigned bundle (accepted on request). */
      signedBy: string | null;
      /** The caller named the key the checkpoints must be signed with, so `signedBy` is that key. */
      keyPinned: boolean;
      /** The log's head when the export began: check the live log against it (`npm run audit:verify -- --checkpoint`). */
      logCheckpoint: SignedAuditCheckpoint | null;
    }
  | { ok: false; problem: IncidentBundleProblem; message: string; firstBreak?: ChainBreak };

export interface IncidentBundleVerifyOptions {
  /** The dashboard's public key (`GET /api/audit/checkpoint`). Without it, a bundle re-signed with another key still verifies. */
  publicKey?: string;
  /** Accept a bundle without a signed checkpoint (v1 bundles, from before checkpoints existed). */
  allowUnsigned?: boolean;
}

/**
 * Re-checks a parsed bundle file offline: every event's hash, every link between neighbours (an
 * edited, deleted or reordered event breaks one), the trailer's count, head hash and seq range
 * against the events, and then the signed checkpoints. The trailer's `checkpoint` signs the last
 * event, so events cut off the end are caught even when the rest of the trailer was rewritten to
 * match ("the chain ends at sequence N before checkpoint M"), and so are forged events appended
 * after it; `logCheckpoint`, the log's head at export, must match the event at its sequence when
 * the bundle holds it.
 *
 * What it cannot prove without `publicKey`: that the checkpoints were signed by the dashboard.
 * Someone who cuts the bundle AND signs new checkpoints with a key of their own produces a
 * consistent bundle signed by another key, which is why the result names the key.
 */
export async function verifyIncidentBundle(json: unknown, options: IncidentBundleVerifyOptions = {}): Promise<IncidentBundleVerification> {
  const parsed = incidentBundleSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join(".") : "the document";
    return { ok: false, problem: "invalid_format", message: `Not a Rollbook incident bundle: ${where}: ${issue?.message ?? "invalid"}` };
  }
  const { events, chain } = parsed.data;
  const { checked, firstBreak } = await findFirstChainBreak(events, chain.startPrevHash ?? GENESIS_HASH);
  if (firstBreak) {
    const what = firstBreak.reason === "hash_mismatch" ? "its content does not match its hash" : "it does not link to the event before it";
    return {
      ok: false,
      problem: "chain_break",
      message: `Chain broken at event #${firstBreak.seq} (${firstBreak.reason}): ${what}; expected ${firstBreak.expected}, found ${firstBreak.actual}. ${checked} event(s) before it verified.`,
      firstBreak,
    };
  }
  if (chain.count !== events.length) {
    return {
      ok: false,
      problem: "count_mismatch",
      message: `The trailer counts ${chain.count} events but the bundle holds ${events.length}.`,
    };
  }
  const first = events[0];
  const last = events.at(-1);
  if (chain.headHash !== (last?.hash ?? null)) {
    return {
      ok: false,
      problem: "head_mismatch",
      message: `The trailer's head hash ${chain.headHash ?? "(none)"} is not the last event's hash ${last?.hash ?? "(no events)"}.`,
    };
  }
  if (chain.firstSeq !== (first?.seq ?? null) || chain.lastSeq !== (last?.seq ?? null)) {
    return {
      ok: false,
      problem: "seq_mismatch",
      message: `The trailer spans #${chain.firstSeq ?? "-"}..#${chain.lastSeq ?? "-"} but the events span #${first?.seq ?? "-"}..#${last?.seq ?? "-"}.`,
    };
  }

  const checkpoint = chain.checkpoint ?? null;
  const logCheckpoint = chain.logCheckpoint ?? null;
  if (last && checkpoint === null && !options.allowUnsigned) {
    return {
      ok: false,
      problem: "unsigned",
      message:
        "The bundle carries no signed checkpoint of its last event, so events cut off its end would go unnoticed. " +
        "Bundles exported before checkpoints existed are unsigned; accept one knowingly with --allow-unsigned.",
    };
  }
  // Without a pinned key the checkpoints must at least agree with each other on who signed them.
  const trustedPublicKey = options.publicKey ?? checkpoint?.publicKey ?? logCheckpoint?.publicKey;
  if (checkpoint && last) {
    const problem = checkAuditCheckpoint({
      checkpoint,
      trustedPublicKey,
      lastSeq: last.seq,
      hashAtSequence: hashAt(events, checkpoint.sequence),
    });
    if (problem) return checkpointFailure(problem, last.seq);
    if (BigInt(checkpoint.sequence) < BigInt(last.seq)) {
      return {
        ok: false,
        problem: "unsigned_tail",
        message: `Events #${BigInt(checkpoint.sequence) + 1n} to #${last.seq} come after the bundle's signed end, ${describeAuditCheckpoint(checkpoint)}: they were added after the export.`,
      };
    }
  }
  if (logCheckpoint) {
    const signature = verifyAuditCheckpointSignature(logCheckpoint, trustedPublicKey);
    if (!signature.ok) return { ok: false, problem: signature.reason, message: `The log's head: ${signature.message}` };
    const hash = hashAt(events, logCheckpoint.sequence);
    if (hash !== null && hash !== logCheckpoint.hash) {
      return {
        ok: false,
        problem: "checkpoint_mismatch",
        message: `Event #${logCheckpoint.sequence} has hash ${hash}, but the log's head, ${describeAuditCheckpoint(logCheckpoint)}, records ${logCheckpoint.hash}.`,
      };
    }
  }
  return {
    ok: true,
    count: events.length,
    headHash: chain.headHash,
    firstSeq: chain.firstSeq,
    lastSeq: chain.lastSeq,
    fromGenesis: events.length > 0 && chain.startPrevHash === GENESIS_HASH,
    signedBy: trustedPublicKey ?? null,
    keyPinned: options.publicKey !== undefined,
    logCheckpoint,
  };
}

function hashAt(events: readonly ChainedAuditEvent[], sequence: string): string | null {
  return events.find((event) => event.seq === sequence)?.hash ?? null;
}

function checkpointFailure(problem: AuditCheckpointProblem, lastSeq: string): IncidentBundleVerification {
  if (problem.reason === "truncated") {
    return {
      ok: false,
      problem: "truncated",
      message: `The chain ends at sequence ${lastSeq} before ${describeAuditCheckpoint(problem)}: events were cut off the end of the bundle.`,
    };
  }
  return { ok: false, problem: problem.reason === "hash_mismatch" ? "checkpoint_mismatch" : problem.reason, message: problem.message };
}
