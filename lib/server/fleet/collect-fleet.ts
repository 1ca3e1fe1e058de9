import "server-only";
import pLimit from "p-limit";
import { summarizeAgentMetrics, type AgentMetricsSummary } from "@/lib/fleet/summarize-agent-metrics";
import { AgentCallError, type ReadinessReport } from "@/lib/protocol";
import { agentClientFor } from "../agents/run-agent-action";
import { db } from "../db";

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

/**
 * Stores one poll round in a few statements, whatever the fleet size: a bulk upsert of every node's
 * latest state, a bulk insert of metric samples, and readiness snapshots only for nodes whose
 * document changed (probe, readiness or doctor status).
 */
async function storePollRound(results: NodePollResult[]): Promise<void> {
  if (results.length === 0) return;
  const rows = results.map((result) => ({
    nodeId: result.nodeId,
    at: result.at.toISOString(),
    ok: result.readiness !== null,
    readiness: result.readiness,
    probe: result.readiness?.ready_probe_sha256 ?? null,
    errorCode: result.error?.code ?? null,
    errorMessage: result.error?.message.slice(0, 500) ?? null,
  }));
  await db.$transaction(async (tx) => {
    // Snapshot first, comparing with the state before this round.
    await tx.$executeRaw`
      INSERT INTO "ReadinessSnapshot" ("nodeId", "at", "ready", "probeSha256", "report")
      SELECT r."nodeId", r."at"::timestamptz, (r.readiness->>'ready')::boolean, r.probe, r.readiness
      FROM json_to_recordset(${JSON.stringify(rows)}::json) AS r("nodeId" text, "at" text, ok boolean, readiness jsonb, probe text)
      LEFT JOIN "NodeHealth" h ON h."nodeId" = r."nodeId"
      WHERE r.ok AND (
        h.readiness IS NULL
        OR h."probeSha256" IS DISTINCT FROM r.probe
        OR (h.readiness->>'ready') IS DISTINCT FROM (r.readiness->>'ready')
        OR (h.readiness->'doctor'->>'status') IS DISTINCT FROM (r.readiness->'doctor'->>'status')
      )`;
    await tx.$executeRaw`
      INSERT INTO "NodeHealth" ("nodeId", "lastAttemptAt", "lastOkAt", "lastErrorCode", "lastErrorMessage", "readiness", "readinessAt", "probeSha256", "updatedAt")
      SELECT r."nodeId", r."at"::timestamptz, CASE WHEN r.ok THEN r."at"::timestamptz END, r."errorCode", r."errorMessage",
             r.readiness, CASE WHEN r.ok THEN r."at"::timestamptz END, r.probe, now()
      FROM json_to_recordset(${JSON.stringify(rows)}::json)
        AS r("nodeId" text, "at" text, ok boolean, readiness jsonb, probe text, "errorCode" text, "errorMessage" text)
      ON CONFLICT ("nodeId") DO UPDATE SET
        "lastAttemptAt" = EXCLUDED."lastAttemptAt",
        "lastOkAt" = COALESCE(EXCLUDED."lastOkAt", "NodeHealth"."lastOkAt"),
        "lastErrorCode" = EXCLUDED."lastErrorCode",
        "lastErrorMessage" = EXCLUDED."lastErrorMessage",
        -- A failed poll keeps the last good document (and its time): staleness is judged from it.
        "readiness" = COALESCE(EXCLUDED.readiness, "NodeHealth".readiness),
        "readinessAt" = COALESCE(EXCLUDED."readinessAt", "NodeHealth"."readinessAt"),
        "probeSha256" = COALESCE(EXCLUDED."probeSha256", "NodeHealth"."probeSha256"),
        "updatedAt" = now()`;
    const samples = results.flatMap((result) =>
      result.metrics
        ? [
            {
              nodeId: result.nodeId,
              at: result.at,
              memoryBytes: result.metrics.memoryBytes,
              memoryLimitBytes: result.metrics.memoryLimitBytes,
              queueDepth: result.metrics.queueDepth,
              tasksProcessedTotal: result.metrics.tasksProcessedTotal,
              errorsTotal: result.metrics.errorsTotal,
              tokensSpentTotal: result.metrics.tokensSpentTotal,
              p95Ms: result.metrics.p95Ms,
            },
          ]
        : [],
    );
    if (samples.length > 0) await tx.metricSample.createMany({ data: samples });
    // Keep the node list's version and weight in step with what the agents say.
    const reported = results.flatMap((result) =>
      result.readiness ? [{ nodeId: result.nodeId, core: result.readiness.installed.core, weight: result.readiness.lb.weight }] : [],
    );
    if (reported.length > 0) {
      await tx.$executeRaw`
        UPDATE "Node" n SET "coreVersion" = r.core, "lbWeight" = r.weight, "updatedAt" = now()
        FROM json_to_recordset(${JSON.stringify(reported)}::json) AS r("nodeId" text, core text, weight int)
        WHERE n.id = r."nodeId" AND (n."coreVersion" IS DISTINCT FROM r.core OR n."lbWeight" <> r.weight)`;
    }
  });
}

/**
 * One collector round: every node's readiness and metrics, polled concurrently with a bound, each
 * request with its own timeout. A node that hangs, answers garbage or answers too much costs its
 * own timeout and becomes an error row; the others are unaffected.
 */
export async function collectFleetOnce(options: { concurrency?: number; timeoutMs?: number } = {}): Promise<NodePollResult[]> {
  const nodes = await db.node.findMany({ select: { id: true, agentUrl: true, agentSecret: true } });
  const limit = pLimit(options.concurrency ?? 64);
  const results = await Promise.all(nodes.map((node) => limit(() => pollNode(node, options.timeoutMs ?? 3_000))));
  await storePollRound(results);
  return results;
}
