import type { AuditCheckpointSigner, SignedAuditCheckpoint } from "@/lib/audit/audit-checkpoint";
import type { ChainedAuditEvent } from "@/lib/audit/audit-hash";
import type { AuditEventSource } from "./audit-event-source";
import { CHAIN_ALGORITHM, INCIDENT_BUNDLE_FORMAT, type IncidentBundleChain, type IncidentBundleScope } from "./incident-bundle-schema";
import type { IncidentPlanSummary } from "./incident-plan-summary";

export interface JsonExportOptions {
  scope: IncidentBundleScope;
  generatedAt: Date;
  /** The plan's summary for a plan-scoped bundle (see toIncidentPlanSummary). */
  plan?: IncidentPlanSummary;
  /** Events per emitted chunk (default 256). */
  eventsPerChunk?: number;
  /**
   * Signs the bundle's last event into `chain.checkpoint` and carries the log's signed head as
   * `chain.logCheckpoint`. Without it the bundle is unsigned, and verifyIncidentBundle refuses it
   * unless told to accept unsigned bundles: nothing would stop events being cut off its end.
   */
  checkpoints?: { signer: AuditCheckpointSigner; logHead: SignedAuditCheckpoint };
}

/**
 * The incident bundle, a single JSON document streamed in one pass:
 *
 *   { format, generatedAt, scope, plan?, events: [ …one event per line… ], chain: { …trailer… } }
 *
 * The trailer holds a signed checkpoint of the last event (sequence + hash, signed at
 * `generatedAt`), so events cut off the end are caught offline even when the rest of the trailer
 * is rewritten to match, and the log's head when the export began, to check the live log against later.
 *
 * `chain` comes last because its head hash and count are only known once the last event has gone
 * out; a JSON parser does not care about key order, and this way nothing is held back. Each event
 * keeps exactly the fields its hash covers plus `prevHash`/`hash`, so verifyIncidentBundle (or any
 * RFC 8785 + SHA-256 implementation) can re-check the chain offline.
 *
 * The events must be a contiguous run of the log (every seq between the first and the last):
 * links are checked between neighbours, so for a plan scope pass the whole seq range the plan
 * spans, other plans' and sign-in events included, rather than only rows with its planId.
 */
export async function* exportEventsJson(events: AuditEventSource, options: JsonExportOptions): AsyncGenerator<string, void, undefined> {
  const eventsPerChunk = Math.max(1, options.eventsPerChunk ?? 256);
  const head = {
    format: INCIDENT_BUNDLE_FORMAT,
    generatedAt: options.generatedAt.toISOString(),
    scope: options.scope,
    ...(options.plan ? { plan: options.plan } : {}),
  };
  // Reopen the header object so the events array and trailer can follow inside it.
  yield `${JSON.stringify(head).slice(0, -1)},\n"events":[`;

  let first: ChainedAuditEvent | undefined;
  let last: ChainedAuditEvent | undefined;
  let count = 0;
  let chunk: string[] = [];
  for await (const event of events) {
    first ??= event;
    last = event;
    chunk.push(`${count === 0 ? "\n" : ",\n"}${JSON.stringify(bundleEvent(event))}`);
    count += 1;
    if (chunk.length >= eventsPerChunk) {
      yield chunk.join("");
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk.join("");

  const chain: IncidentBundleChain = {
    algorithm: CHAIN_ALGORITHM,
    startPrevHash: first?.prevHash ?? null,
    headHash: last?.hash ?? null,
    count,
    firstSeq: first?.seq ?? null,
    lastSeq: last?.seq ?? null,
    checkpoint:
      last && options.checkpoints
        ? options.checkpoints.signer.sign({ sequence: last.seq, hash: last.hash, at: options.generatedAt.toISOString() })
        : null,
    logCheckpoint: options.checkpoints?.logHead ?? null,
  };
  yield `\n],\n"chain":${JSON.stringify(chain)}}\n`;
}

/** Exactly the hashed fields, in a fixed order: extra properties on a row would break verification. */
function bundleEvent(event: ChainedAuditEvent): ChainedAuditEvent {
  return {
    seq: event.seq,
    at: event.at,
    actorId: event.actorId,
    actorEmail: event.actorEmail,
    kind: event.kind,
    nodeId: event.nodeId,
    planId: event.planId,
    data: event.data,
    prevHash: event.prevHash,
    hash: event.hash,
  };
}
