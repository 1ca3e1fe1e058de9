import "server-only";
import type { FleetNodeStatus } from "@/lib/fleet/fleet-node-status";
import type { FleetFilter } from "@/lib/fleet/node-registration";
import { readinessReportSchema, readyProbeParts, type ReadinessReport } from "@/lib/protocol";
import { fleetConsensus, mergeNodeReadiness, type PeerProbeMajority } from "@/lib/readiness";
import { db } from "../db";
import type { SessionUser } from "../users";
import { collectIntervalMs } from "./run-collector-round";

const SPARK_MINUTES = 30;

/** Readiness older than three collector rounds is stale: one missed round is noise, three are not. */
export function readinessFreshnessMs(): number {
  return 3 * collectIntervalMs();
}

interface SparkRow {
  node_id: string;
  minute: number;
  memory_percent: number | null;
  queue_depth: number | null;
}

/**
 * The fleet as on-call sees it: every node with a badge that is green only when earned (fresh,
 * doctor ok, versions agree, ready, probe agrees with its peers on the same release), the probe
 * parts that differ when it disagrees, and sparklines. Three queries whatever the fleet size.
 */
export async function listFleetStatus(options: {
  actor: SessionUser | null;
  filter?: FleetFilter;
  now?: Date;
}): Promise<FleetNodeStatus[]> {
  const { filter = {} } = options;
  const now = options.now ?? new Date();
  const freshnessMs = readinessFreshnessMs();
  const nodes = await db.node.findMany({
    where: {
      ...(filter.role ? { role: filter.role } : {}),
      ...(filter.region ? { region: filter.region } : {}),
      ...(filter.release ? { coreVersion: filter.release } : {}),
      ...(filter.q ? { name: { contains: filter.q, mode: "insensitive" } } : {}),
    },
    orderBy: { name: "asc" },
    include: { health: true },
  });

  const reports = new Map<string, { fetchedAt: Date; report: ReadinessReport }>();
  for (const node of nodes) {
    const parsed = readinessReportSchema.safeParse(node.health?.readiness);
    if (parsed.success && node.health?.readinessAt) reports.set(node.id, { fetchedAt: node.health.readinessAt, report: parsed.data });
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
  const disagreementByNode = new Map<string, FleetNodeStatus["probeDisagreement"]>();
  for (const group of groups) {
    for (const [nodeId] of fresh.filter(([, latest]) => (latest.report.installed.core ?? "unknown") === group.releaseKey)) {
      majorityByNode.set(nodeId, group.peerProbeMajority);
    }
    for (const odd of group.disagreeing) disagreementByNode.set(odd.nodeId, odd.differences);
  }

  const sparks = await db.$queryRaw<SparkRow[]>`
    SELECT "nodeId" AS node_id,
           floor(extract(epoch FROM (${now}::timestamptz - "at")) / 60)::int AS minute,
           avg(100 * "memoryBytes" / NULLIF("memoryLimitBytes", 0)) AS memory_percent,
           max("queueDepth") AS queue_depth
    FROM "MetricSample"
    WHERE "at" > ${now}::timestamptz - ${`${SPARK_MINUTES} minutes`}::interval AND "nodeId" = ANY(${nodes.map((node) => node.id)})
    GROUP BY 1, 2`;
  const sparkByNode = new Map<string, { memory: (number | null)[]; queue: (number | null)[] }>();
  for (const row of sparks) {
    const spark = sparkByNode.get(row.node_id) ?? {
      memory: Array<number | null>(SPARK_MINUTES).fill(null),
      queue: Array<number | null>(SPARK_MINUTES).fill(null),
    };
    const index = SPARK_MINUTES - 1 - row.minute;
    if (index >= 0 && index < SPARK_MINUTES) {
      spark.memory[index] = row.memory_percent;
      spark.queue[index] = row.queue_depth;
    }
    sparkByNode.set(row.node_id, spark);
  }

  const rows: FleetNodeStatus[] = nodes.map((node) => {
    const health = node.health;
    const readiness = mergeNodeReadiness({
      now,
      freshnessMs,
      latest: reports.get(node.id) ?? null,
      lastError: health?.lastErrorCode
        ? { at: health.lastAttemptAt, code: health.lastErrorCode, message: health.lastErrorMessage ?? health.lastErrorCode }
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
      memorySpark: sparkByNode.get(node.id)?.memory ?? [],
      queueSpark: sparkByNode.get(node.id)?.queue ?? [],
    };
  });
  return filter.status ? rows.filter((row) => row.readiness.color === filter.status) : rows;
}
