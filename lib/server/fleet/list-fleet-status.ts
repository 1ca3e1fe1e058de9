import "server-only";
import type { FleetNodeStatus, JudgedFleetNode } from "@/lib/fleet/fleet-node-status";
import type { FleetNode } from "@/lib/fleet/fleet-node";
import type { FleetFilter } from "@/lib/fleet/node-registration";
import { readinessReportSchema, readyProbeParts, type ReadinessReport } from "@/lib/protocol";
import { fleetConsensus, mergeNodeReadiness, type PeerProbeMajority } from "@/lib/readiness";
import { sqlPool } from "../db";
import type { SessionUser } from "../users";
import { collectIntervalMs } from "./run-collector-round";

const SPARK_MINUTES = 30;

/** Readiness older than three collector rounds is stale: one missed round is noise, three are not. */
export function readinessFreshnessMs(): number {
  return 3 * collectIntervalMs();
}

/**
 * Per node and minute of the last SPARK_MINUTES: mean memory % and peak queue depth. Float math
 * (date_part, not extract's numeric) and the pg pool, not Prisma: at 1,000 nodes this is 30,000
 * rows, and both choices halve its cost. "at" is stored as UTC timestamp without time zone.
 */
const SPARK_SQL = `
  SELECT "nodeId" AS node_id,
         floor(date_part('epoch', $1::timestamptz AT TIME ZONE 'UTC' - "at") / 60)::int AS minute,
         avg(100 * "memoryBytes" / NULLIF("memoryLimitBytes", 0)) AS memory_percent,
         max("queueDepth") AS queue_depth
  FROM "MetricSample"
  WHERE "at" > $1::timestamptz AT TIME ZONE 'UTC' - interval '${SPARK_MINUTES} minutes' AND "nodeId" = ANY($2)
  GROUP BY 1, 2`;

/**
 * Every node with its latest health, filtered as the URL asks. Through the pg pool, not Prisma: at
 * 1,000 nodes this reads 2 MB of readiness JSON, which pg hands to JSON.parse in half the time.
 * Prisma stores DateTime as UTC timestamps without time zone; AT TIME ZONE 'UTC' makes pg read
 * them as UTC whatever this process's TZ is.
 */
const NODES_SQL = `
  SELECT n.id, n.name, n."agentUrl", n.role::text AS role, n.region, n."coreVersion", n."lbWeight",
         n."updatedAt" AT TIME ZONE 'UTC' AS "updatedAt",
         h.readiness, h."readinessAt" AT TIME ZONE 'UTC' AS "readinessAt", h."lastAttemptAt" AT TIME ZONE 'UTC' AS "lastAttemptAt",
         h."lastErrorCode", h."lastErrorMessage"
  FROM "Node" n LEFT JOIN "NodeHealth" h ON h."nodeId" = n.id
  WHERE ($1::text IS NULL OR n.role::text = $1) AND ($2::text IS NULL OR n.region = $2)
    AND ($3::text IS NULL OR n."coreVersion" = $3) AND ($4::text IS NULL OR n.name ILIKE $4)
  ORDER BY n.name`;

/** A FleetNode as stored, with the columns of its latest health. */
interface NodeRow extends Omit<FleetNode, "updatedAt"> {
  updatedAt: Date;
  readiness: unknown;
  readinessAt: Date | null;
  lastAttemptAt: Date | null;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
}

/** "gw" → "%gw%" for ILIKE, with the pattern characters in the search text matched literally. */
function likePattern(q: string | undefined): string | null {
  return q ? `%${q.replace(/[\\%_]/g, (char) => `\\${char}`)}%` : null;
}

interface SparkRow {
  node_id: string;
  minute: number;
  memory_percent: number | null;
  queue_depth: number | null;
}

/** The nodes the filter selects (all but `status`, which is judged), with their latest health. */
async function loadNodes(filter: FleetFilter): Promise<NodeRow[]> {
  const params = [filter.role ?? null, filter.region ?? null, filter.release ?? null, likePattern(filter.q)];
  return (await sqlPool().query<NodeRow>(NODES_SQL, params)).rows;
}

/**
 * Merged readiness for every loaded node: green only when earned (fresh, doctor ok, versions
 * agree, ready, probe agrees with its peers on the same release), and the probe parts that differ
 * when it disagrees. Kept to the nodes whose colour is `status`, when one is given.
 */
function judgeNodes(nodes: readonly NodeRow[], now: Date, status: FleetFilter["status"]): JudgedFleetNode[] {
  const freshnessMs = readinessFreshnessMs();
  const reports = new Map<string, { fetchedAt: Date; report: ReadinessReport }>();
  for (const node of nodes) {
    const parsed = readinessReportSchema.safeParse(node.readiness);
    if (parsed.success && node.readinessAt) reports.set(node.id, { fetchedAt: node.readinessAt, report: parsed.data });
  }
  // Consensus only among fresh reports: a stale hash would vote for a state the node may have left.
  const fresh = [...reports.entries()].filter(([, latest]) => now.getTime() - latest.fetchedAt.getTime() <= freshnessMs);
  const groups = fleetConsensus(
    fresh.map(([nodeId, { report }]) => ({
      nodeId,
      name: report.node.name,
      releaseKey: report.installed.core ?? "unknown",
      probeSha256: report.ready_probe_sha256,
      probeParts: readyProbeParts(report),
    })),
  );
  const majorityByNode = new Map<string, PeerProbeMajority>();
  const disagreementByNode = new Map<string, JudgedFleetNode["probeDisagreement"]>();
  for (const group of groups) {
    for (const [nodeId] of fresh.filter(([, latest]) => (latest.report.installed.core ?? "unknown") === group.releaseKey)) {
      majorityByNode.set(nodeId, group.peerProbeMajority);
    }
    for (const odd of group.disagreeing) disagreementByNode.set(odd.nodeId, odd.differences);
  }

  const judged = nodes.map((node): JudgedFleetNode => {
    const readiness = mergeNodeReadiness({
      now,
      freshnessMs,
      latest: reports.get(node.id) ?? null,
      lastError:
        node.lastErrorCode && node.lastAttemptAt
          ? { at: node.lastAttemptAt, code: node.lastErrorCode, message: node.lastErrorMessage ?? node.lastErrorCode }
          : null,
      peerProbeMajority: majorityByNode.get(node.id) ?? null,
    });
    return {
      id: node.id,
      name: node.name,
      agentUrl: node.agentUrl,
      role: node.role,
      region: node.region,
      coreVersion: node.coreVersion,
      lbWeight: node.lbWeight,
      updatedAt: node.updatedAt.toISOString(),
      readiness: { color: readiness.color, label: readiness.label, reasons: readiness.reasons, ageMs: readiness.ageMs },
      probeDisagreement: disagreementByNode.get(node.id) ?? null,
    };
  });
  return status ? judged.filter((node) => node.readiness.color === status) : judged;
}

/** One SPARK_MINUTES-long series per node, oldest first, null where a minute had no sample. */
function sparklinesByNode(rows: readonly SparkRow[]): Map<string, { memory: (number | null)[]; queue: (number | null)[] }> {
  const byNode = new Map<string, { memory: (number | null)[]; queue: (number | null)[] }>();
  for (const row of rows) {
    const spark = byNode.get(row.node_id) ?? {
      memory: Array<number | null>(SPARK_MINUTES).fill(null),
      queue: Array<number | null>(SPARK_MINUTES).fill(null),
    };
    const index = SPARK_MINUTES - 1 - row.minute;
    if (index >= 0 && index < SPARK_MINUTES) {
      spark.memory[index] = row.memory_percent;
      spark.queue[index] = row.queue_depth;
    }
    byNode.set(row.node_id, spark);
  }
  return byNode;
}

/**
 * The fleet's merged readiness without sparklines: what the collector needs after every round to
 * find red nodes, without aggregating half an hour of samples for every node it does not show.
 */
export async function judgeFleet(options: { filter?: FleetFilter; now?: Date } = {}): Promise<JudgedFleetNode[]> {
  const { filter = {} } = options;
  return judgeNodes(await loadNodes(filter), options.now ?? new Date(), filter.status);
}

/**
 * The fleet as on-call sees it: every node with its merged readiness (see judgeNodes) and
 * sparklines. Two queries whatever the fleet size.
 */
export async function listFleetStatus(options: {
  actor: SessionUser | null;
  filter?: FleetFilter;
  now?: Date;
}): Promise<FleetNodeStatus[]> {
  const { filter = {} } = options;
  const now = options.now ?? new Date();
  const nodes = await loadNodes(filter);
  // Postgres aggregates the sparklines while this process judges the readiness documents.
  const sparkRows = sqlPool().query<SparkRow>(SPARK_SQL, [now.toISOString(), nodes.map((node) => node.id)]);
  const judged = judgeNodes(nodes, now, filter.status);
  const sparks = sparklinesByNode((await sparkRows).rows);
  return judged.map((node) => ({ ...node, memorySpark: sparks.get(node.id)?.memory ?? [], queueSpark: sparks.get(node.id)?.queue ?? [] }));
}
