/** An audit event as pages and APIs show it (BigInt sequence and dates as strings). */
export interface AuditEventView {
  seq: string;
  at: string;
  kind: string;
  actorEmail: string | null;
  nodeId: string | null;
  planId: string | null;
  data: unknown;
}
