import type { ChainedAuditEvent } from "@/lib/audit/audit-hash";

/**
 * What every exporter reads: events in sequence order, typically an async generator paging
 * through Postgres. Plain arrays are accepted too, for tests and small, already-loaded lists.
 */
export type AuditEventSource = AsyncIterable<ChainedAuditEvent> | Iterable<ChainedAuditEvent>;
