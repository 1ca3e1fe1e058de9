import { stringify } from "csv-stringify/sync";
import type { SignedAuditCheckpoint } from "@/lib/audit/audit-checkpoint";
import type { ChainedAuditEvent } from "@/lib/audit/audit-hash";
import type { AuditEventSource } from "./audit-event-source";
import { describeEvent } from "./describe-event";
import { neutraliseCsvCell } from "./neutralise-csv-cell";
import { readEventData } from "./read-event-data";
import { safeJson } from "./safe-json";

export const CSV_COLUMNS = ["seq", "at", "kind", "actor", "node", "plan", "summary", "data", "prev_hash", "hash"] as const;

export interface CsvExportOptions {
  /**
   * Start with a UTF-8 byte order mark (default true). Without it Excel decodes the file in the
   * machine's legacy code page and every "→" and non-ASCII name turns into mojibake.
   */
  bom?: boolean;
  /** Rows per emitted chunk (default 256): large enough for efficient writes, small enough to stream. */
  rowsPerChunk?: number;
  /** The log's signed head at export, written as a last row of kind `audit.checkpoint` (see csvCheckpointRow). */
  checkpoint?: SignedAuditCheckpoint;
}

/**
 * The audit events as RFC 4180 CSV (CRLF, quoted where needed), one row per event, streamed:
 * rows are stringified in small batches as events arrive, so memory stays flat however long the
 * log is. Every cell goes through neutraliseCsvCell before quoting, so nothing a user typed (an
 * email, a reason, a node name) can run as a spreadsheet formula.
 *
 * `node` is the node's name when the event recorded one (what a reviewer filters on), else its
 * id; `actor` is the email, else the user id, else empty for events Rollbook wrote by itself.
 */
export async function* exportEventsCsv(events: AuditEventSource, options: CsvExportOptions = {}): AsyncGenerator<string, void, undefined> {
  const rowsPerChunk = Math.max(1, options.rowsPerChunk ?? 256);
  // quote_record_delimiter: csv-stringify stops quoting a lone "\n" or "\r" once record_delimiter
  // is set explicitly, and an unquoted line break would split a row in every spreadsheet.
  const format = { record_delimiter: "\r\n", quote_record_delimiter: true } as const;
  // The header goes out before the first read, so a client sees the download start at once.
  yield `${options.bom === false ? "" : "\uFEFF"}${stringify([[...CSV_COLUMNS]], format)}`;
  let batch: string[][] = [];
  for await (const event of events) {
    batch.push(csvRow(event));
    if (batch.length >= rowsPerChunk) {
      yield stringify(batch, format);
      batch = [];
    }
  }
  if (options.checkpoint) batch.push(csvCheckpointRow(options.checkpoint));
  if (batch.length > 0) yield stringify(batch, format);
}

/**
 * CSV has no trailer, so the checkpoint is a last row that cannot pass for an event: no `seq`,
 * kind `audit.checkpoint`, the signed checkpoint JSON in `data` (save that cell as a file for
 * `npm run audit:verify -- --checkpoint`) and the checkpoint's hash in `hash`.
 */
function csvCheckpointRow(checkpoint: SignedAuditCheckpoint): string[] {
  return [
    "",
    checkpoint.at,
    "audit.checkpoint",
    "",
    "",
    "",
    `Signed checkpoint of the audit log's head at export: #${checkpoint.sequence}. The data cell is the checkpoint to verify the live log against.`,
    JSON.stringify(checkpoint),
    "",
    checkpoint.hash,
  ].map(neutraliseCsvCell);
}

function csvRow(event: ChainedAuditEvent): string[] {
  const data = readEventData(event.data);
  return [
    event.seq,
    isoTimestamp(event.at),
    event.kind,
    event.actorEmail ?? event.actorId ?? "",
    data.str("node") ?? event.nodeId ?? "",
    event.planId ?? "",
    describeEvent(event),
    safeJson(event.data),
    event.prevHash,
    event.hash,
  ].map(neutraliseCsvCell);
}

function isoTimestamp(at: string): string {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? at : date.toISOString();
}
