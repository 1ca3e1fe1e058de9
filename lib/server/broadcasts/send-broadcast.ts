import "server-only";
import { Webhook } from "standardwebhooks";
import { z } from "zod";
import { currentAuditCheckpoint } from "../audit/current-audit-checkpoint";
import { recordAuditEvent } from "../audit-log";
import { db } from "../db";
import { broadcastConfig } from "./broadcast-config";

const storedPayload = z.record(z.string(), z.unknown());

/**
 * Delivers one broadcast to every configured URL as a Standard Webhooks signed JSON POST. The
 * webhook-id is the broadcast's id, so a receiver that saw an earlier attempt can drop the
 * repeat. Throws when any URL did not accept it, so the job queue retries with backoff.
 *
 * Each attempt carries the audit log's signed head as of that attempt (`auditCheckpoint`): the
 * receiver keeps a copy of the chain's head outside Rollbook's database, which is what later
 * catches rows removed from the end of the log (docs/exports.md, "Signed checkpoints").
 */
export async function sendBroadcast(broadcastId: string, options: { timeoutMs?: number; finalAttempt?: boolean } = {}): Promise<void> {
  const broadcast = await db.broadcast.findUnique({ where: { id: broadcastId } });
  if (!broadcast || broadcast.status === "sent") return;
  const { urls, secret } = broadcastConfig();
  const body = JSON.stringify({ ...storedPayload.parse(broadcast.payload), auditCheckpoint: await currentAuditCheckpoint() });
  const timestamp = new Date();
  const id = `rollbook-broadcast-${broadcast.id}`;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
  };
  if (secret) headers["webhook-signature"] = new Webhook(secret).sign(id, timestamp, body);
  const failures: string[] = [];
  await Promise.all(
    urls.map(async (url) => {
      try {
        const response = await fetch(url, {
          method: "POST",
          headers,
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
          redirect: "error",
        });
        await response.arrayBuffer();
        if (!response.ok) failures.push(`${url}: HTTP ${response.status}`);
      } catch (error) {
        failures.push(`${url}: ${error instanceof Error ? error.message : "request failed"}`);
      }
    }),
  );
  const attempts = broadcast.attempts + 1;
  if (failures.length === 0) {
    await db.broadcast.update({ where: { id: broadcast.id }, data: { status: "sent", attempts, sentAt: new Date(), lastError: null } });
    await recordAuditEvent({
      kind: "broadcast.sent",
      nodeId: broadcast.nodeId,
      planId: broadcast.planId,
      data: { broadcastId: broadcast.id, urls: urls.length, attempts },
    });
    return;
  }
  await db.broadcast.update({
    where: { id: broadcast.id },
    data: { attempts, lastError: failures.join("; ").slice(0, 1000), ...(options.finalAttempt ? { status: "failed" } : {}) },
  });
  await recordAuditEvent({
    kind: "broadcast.failed",
    nodeId: broadcast.nodeId,
    planId: broadcast.planId,
    data: { broadcastId: broadcast.id, attempts, errors: failures, final: options.finalAttempt ?? false },
  });
  throw new Error(`Broadcast ${broadcast.id} not delivered: ${failures.join("; ")}`);
}
