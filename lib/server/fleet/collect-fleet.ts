import "server-only";
import pLimit from "p-limit";
import { summarizeAgentMetrics, type AgentMetricsSummary } from "@/lib/fleet/summarize-agent-metrics";
import { AgentCallError, type ReadinessReport } from "@/lib/protocol";
import { agentClientFor } from "../agents/run-agent-action";
import { db, sqlPool } from "../db";

export interface NodePollResult {
  nodeId: string;
  at: Date;
  readiness: ReadinessReport | null;
  metrics: AgentMetricsSummary | null;
  error: { code: string; message: string } | null;
}

/** Polls one agent: readiness and metrics concurrently, each bounded by the same timeout. */
async function pollNode(node: { id: string; agentUrl: string; agentSecret: string }, timeoutMs: number): Promise<NodePollResult> {
  const client = agentClientFor(node, timeoutMs);
  const [readiness, metrics] = await Promise.allSettled([client.readiness(), client.metrics()]);
  const at = new Date();
  const failure: unknown = readiness.status === "rejected" ? readiness.reason : null;
  return {
    nodeId: node.id,
    at,
    readiness: readiness.status === "fulfilled" ? readiness.value : null,
    metrics: metrics.status === "fulfilled" ? safeSummary(metrics.value) : null,
    error: failure
      ? {
          code: failure instanceof AgentCallError ? failure.code : "internal",
          message: failure instanceof Error ? failure.message : "unknown error",
        }
      : null,
  };
}

/** A scrape counts only if it yielded at least one known metric; anything else is noise. */
function safeSummary(exposition: string): AgentMetricsSummary | null {
  try {
    const summary = summarizeAgentMetrics(exposition);
    return Object.values(summary).some((value) => value !== null) ? summary : null;
  } catch {
    return null;
  }
}

/** One node's row in the round's single bulk statement: its latest state and, if scraped, its sample. */
function toRoundRow(result: NodePollResult) {
  const metrics = result.metrics;
  return {
    nodeId: result.nodeId,
    at: result.at.toISOString(),
    ok: result.readiness !== null,
    readiness: result.readiness,
    probe: result.readiness?.ready_probe_sha256 ?? null,
    core: result.readiness?.installed.core ?? null,
    weight: result.readiness?.lb.weight ?? null,
    errorCode: result.error?.code ?? null,
    errorMessage: result.error?.message.slice(0, 500) ?? null,
    scraped: metrics !== null,
    memoryBytes: metrics?.memoryBytes ?? null,
    memoryLimitBytes: metrics?.memoryLimitBytes ?? null,
    queueDepth: metrics?.queueDepth ?? null,
    tasksProcessedTotal: metrics?.tasksProcessedTotal ?? null,
    errorsTotal: metrics?.errorsTotal ?? null,
    tokensSpentTotal: metrics?.tokensSpentTotal ?? null,
    p95Ms: metrics?.p95Ms ?? null,
    evalScore: metrics?.evalScore ?? null,
  };
}

/**
 * Stores one poll round in one statement, whatever the fleet size: the round goes to Postgres as
 * one JSON array, and data-modifying CTEs write from it: readiness snapshots only for nodes whose
 * document changed (probe, readiness or doctor status), an upsert of every node's latest state,
 * the metric samples, and the node list's version and weight. Every CTE sees the tables as they
 * were before the statement, which is what the snapshot comparison needs.
 */
async function storePollRound(results: NodePollResult[]): Promise<void> {
  if (results.length === 0) return;
  await sqlPool().query(STORE_ROUND_SQL, [JSON.stringify(results.map(toRoundRow))]);
}

const STORE_ROUND_SQL = `
    WITH r AS MATERIALIZED (
      SELECT * FROM json_to_recordset($1::json) AS r(
        "nodeId" text, "at" timestamptz, ok boolean, readiness jsonb, probe text, core text, weight int,
        "errorCode" text, "errorMessage" text, scraped boolean,
        "memoryBytes" float8, "memoryLimitBytes" float8, "queueDepth" float8, "tasksProcessedTotal" float8,
        "errorsTotal" float8, "tokensSpentTotal" float8, "p95Ms" float8, "evalScore" float8)
    ),
    snapshots AS (
      INSERT INTO "ReadinessSnapshot" ("nodeId", "at", "ready", "probeSha256", "report")
      SELECT r."nodeId", r."at", (r.readiness->>'ready')::boolean, r.probe, r.readiness
      FROM r LEFT JOIN "NodeHealth" h ON h."nodeId" = r."nodeId"
      WHERE r.ok AND (
        h.readiness IS NULL
        OR h."probeSha256" IS DISTINCT FROM r.probe
        OR (h.readiness->>'ready') IS DISTINCT FROM (r.readiness->>'ready')
        OR (h.readiness->'doctor'->>'status') IS DISTINCT FROM (r.readiness->'doctor'->>'status')
      )
    ),
    health AS (
      INSERT INTO "NodeHealth" ("nodeId", "lastAttemptAt", "lastOkAt", "lastErrorCode", "lastErrorMessage", "readiness", "readinessAt", "probeSha256", "updatedAt")
      SELECT r."nodeId", r."at", CASE WHEN r.ok THEN r."at" END, r."errorCode", r."errorMessage",
             r.readiness, CASE WHEN r.ok THEN r."at" END, r.probe, now()
      FROM r
      ON CONFLICT ("nodeId") DO UPDATE SET
        "lastAttemptAt" = EXCLUDED."lastAttemptAt",
        "lastOkAt" = COALESCE(EXCLUDED."lastOkAt", "NodeHealth"."lastOkAt"),
        "lastErrorCode" = EXCLUDED."lastErrorCode",
        "lastErrorMessage" = EXCLUDED."lastErrorMessage",
        -- A failed poll keeps the last good document (and its time): staleness is judged from it.
        "readiness" = COALESCE(EXCLUDED.readiness, "NodeHealth".readiness),
        "readinessAt" = COALESCE(EXCLUDED."readinessAt", "NodeHealth"."readinessAt"),
        "probeSha256" = COALESCE(EXCLUDED."probeSha256", "NodeHealth"."probeSha256"),
        "updatedAt" = now()
    ),
    samples AS (
      INSERT INTO "MetricSample" ("nodeId", "at", "memoryBytes", "memoryLimitBytes", "queueDepth", "tasksProcessedTotal", "errorsTotal", "tokensSpentTotal", "p95Ms", "evalScore")
      SELECT r."nodeId", r."at", r."memoryBytes", r."memoryLimitBytes", r."queueDepth", r."tasksProcessedTotal", r."errorsTotal", r."tokensSpentTotal", r."p95Ms", r."evalScore"
      FROM r WHERE r.scraped
    )
    -- Keep the node list's version and weight in step with what the agents say.
    UPDATE "Node" n SET "coreVersion" = r.core, "lbWeight" = r.weight, "updatedAt" = now()
    FROM r
    WHERE n.id = r."nodeId" AND r.ok AND (n."coreVersion" IS DISTINCT FROM r.core OR n."lbWeight" <> r.weight)`;

/**
 * Agents polled at once. Each costs two requests on warm keep-alive connections; at 256, a
 * 1,000-node fleet is polled in four overlapping waves, and a round is bound by the dashboard's CPU
 * (validation, probe hashes, parsing) rather than by waiting, without holding thousands of
 * requests in flight.
 */
export const DEFAULT_POLL_CONCURRENCY = 256;

/**
 * One collector round: every node's readiness and metrics, polled concurrently with a bound, each
 * request with its own timeout. A node that hangs, answers garbage or answers too much costs its
 * own timeout and becomes an error row; the others are unaffected.
 */
export async function collectFleetOnce(options: { concurrency?: number; timeoutMs?: number } = {}): Promise<NodePollResult[]> {
  const nodes = await db.node.findMany({ select: { id: true, agentUrl: true, agentSecret: true } });
  const limit = pLimit(options.concurrency ?? DEFAULT_POLL_CONCURRENCY);
  const results = await Promise.all(nodes.map((node) => limit(() => pollNode(node, options.timeoutMs ?? 3_000))));
  await storePollRound(results);
  return results;
}
