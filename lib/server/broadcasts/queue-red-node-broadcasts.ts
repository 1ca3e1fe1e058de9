import "server-only";
import type { JudgedFleetNode } from "@/lib/fleet/fleet-node-status";
import { appendAuditEvent } from "../audit-log";
import { db } from "../db";
import { enqueueJob } from "../jobs/job-queue";
import { broadcastConfig } from "./broadcast-config";

const ACTIVE_PLAN = ["running", "paused"] as const;

/**
 * After a collector round: remembers when each node turned red, and for a node that is red while
 * it is part of a running (or paused) plan, queues exactly one broadcast per incident. The
 * incident key is node + plan + the moment it turned red, so every later poll that still sees it
 * red finds the same key and adds nothing; the node recovering and failing again is a new incident.
 */
export async function queueRedNodeBroadcasts(statuses: readonly JudgedFleetNode[], now: Date = new Date()): Promise<number> {
  const red = statuses.filter((status) => status.readiness.color === "red");
  const redIds = red.map((status) => status.id);
  await db.nodeHealth.updateMany({ where: { nodeId: { notIn: redIds }, redSince: { not: null } }, data: { redSince: null } });
  if (red.length === 0) return 0;
  await db.nodeHealth.updateMany({ where: { nodeId: { in: redIds }, redSince: null }, data: { redSince: now } });
  if (broadcastConfig().urls.length === 0) return 0;

  const inPlans = await db.planNode.findMany({
    where: { nodeId: { in: redIds }, plan: { status: { in: [...ACTIVE_PLAN] } } },
    include: {
      plan: { select: { id: true, title: true, status: true } },
      node: { select: { name: true, health: { select: { redSince: true } } } },
    },
  });
  let queued = 0;
  for (const membership of inPlans) {
    const status = red.find((candidate) => candidate.id === membership.nodeId)!;
    const redSince = membership.node.health?.redSince ?? now;
    const incidentKey = `${membership.nodeId}:${membership.planId}:${redSince.toISOString()}`;
    const payload = {
      type: "rollbook.node.red",
      incidentKey,
      node: {
        id: membership.nodeId,
        name: membership.node.name,
        coreVersion: status.coreVersion,
        region: status.region,
        role: status.role,
      },
      plan: { id: membership.plan.id, title: membership.plan.title, status: membership.plan.status },
      redSince: redSince.toISOString(),
      reasons: status.readiness.reasons,
    };
    const created = await db.$transaction(async (tx) => {
      const inserted = await tx.broadcast.createMany({
        data: [{ incidentKey, nodeId: membership.nodeId, planId: membership.planId, payload }],
        skipDuplicates: true,
      });
      if (inserted.count === 0) return false;
      const row = await tx.broadcast.findUniqueOrThrow({ where: { incidentKey }, select: { id: true } });
      await appendAuditEvent(tx, {
        kind: "broadcast.queued",
        nodeId: membership.nodeId,
        planId: membership.planId,
        data: { broadcastId: row.id, incidentKey, node: membership.node.name },
      });
      // graphile-worker retries a failed delivery with exponential backoff, up to 8 attempts.
      await enqueueJob(tx, "send-broadcast", { broadcastId: row.id }, { jobKey: `broadcast:${row.id}`, maxAttempts: 8 });
      return true;
    });
    if (created) queued += 1;
  }
  return queued;
}
