import { findFirstChainBreak, GENESIS_HASH, type ChainBreak } from "@/lib/audit/audit-hash";
import { incidentBundleSchema } from "./incident-bundle-schema";

export type IncidentBundleProblem = "invalid_format" | "chain_break" | "count_mismatch" | "head_mismatch" | "seq_mismatch";

export type IncidentBundleVerification =
  | {
      ok: true;
      count: number;
      headHash: string | null;
      firstSeq: string | null;
      lastSeq: string | null;
      /** The bundle starts at the very first event of the log, so nothing can be missing before it. */
      fromGenesis: boolean;
    }
  | { ok: false; problem: IncidentBundleProblem; message: string; firstBreak?: ChainBreak };

/**
 * Re-checks a parsed bundle file offline: every event's hash, every link between neighbours (an
 * edited, deleted or reordered event breaks one), then the trailer's count, head hash and seq
 * range against the events (catches events cut off the end without a matching trailer edit).
 *
 * What it cannot prove on its own: a bundle whose last events were removed AND whose trailer was
 * rewritten to match is self-consistent. Compare `headHash` at `lastSeq` with the live log or
 * with a head published elsewhere to close that gap.
 */
export async function verifyIncidentBundle(json: unknown): Promise<IncidentBundleVerification> {
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
  return {
    ok: true,
    count: events.length,
    headHash: chain.headHash,
    firstSeq: chain.firstSeq,
    lastSeq: chain.lastSeq,
    fromGenesis: events.length > 0 && chain.startPrevHash === GENESIS_HASH,
  };
}
