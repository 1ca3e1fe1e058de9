import "server-only";
import { AppError } from "@/lib/app-error";
import type { JudgedFleetNode } from "@/lib/fleet/fleet-node-status";
import { readinessReportSchema, type ReadinessReport } from "@/lib/protocol";
import { projectThresholdCrossing, type ThresholdProjection } from "@/lib/readiness";
import { db } from "../db";
import type { SessionUser } from "../users";
import { judgeFleet } from "./list-fleet-status";

export interface NodeDetail {
  node: JudgedFleetNode;
  report: ReadinessReport | null;
  reportAt: string | null;
  lastError: { at: string; code: string; message: string } | null;
  memoryProjection: ThresholdProjection | null;
}

/** One node for its page: merged readiness (judged against its peers), the raw document, a leak forecast. */
export async function getNodeDetailOrThrow(options: { actor: SessionUser; nodeId: string }): Promise<NodeDetail> {
  const exists = await db.node.findUnique({ where: { id: options.nodeId }, include: { health: true } });
  if (!exists) throw new AppError("not_found", "No such node.");
  // The badge needs the node's peers on the same release, so judge it within its release group
  // (their sparklines are not shown here, so not computed).
  const peers = await judgeFleet({ filter: exists.coreVersion ? { release: exists.coreVersion } : {} });
  const node = peers.find((candidate) => candidate.id === exists.id);
  if (!node) throw new AppError("not_found", "No such node.");
  const parsed = readinessReportSchema.safeParse(exists.health?.readiness);
  const now = new Date();
  const samples = await db.metricSample.findMany({
    where: { nodeId: exists.id, at: { gte: new Date(now.getTime() - 3_600_000) }, memoryBytes: { not: null }, memoryLimitBytes: { gt: 0 } },
    select: { at: true, memoryBytes: true, memoryLimitBytes: true },
    orderBy: { at: "asc" },
  });
  const memoryProjection = projectThresholdCrossing({
    points: samples.map((sample) => ({ t: sample.at.getTime(), v: (100 * sample.memoryBytes!) / sample.memoryLimitBytes! })),
    threshold: 75,
    now,
    windowMs: 30 * 60_000,
  });
  return {
    node,
    report: parsed.success ? parsed.data : null,
    reportAt: exists.health?.readinessAt?.toISOString() ?? null,
    lastError: exists.health?.lastErrorCode
      ? { at: exists.health.lastAttemptAt.toISOString(), code: exists.health.lastErrorCode, message: exists.health.lastErrorMessage ?? "" }
      : null,
    memoryProjection,
  };
}
