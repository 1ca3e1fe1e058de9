import { createHash } from "node:crypto";
import { canonicalJson, type WebhookDigest } from "@/lib/protocol";
import type { DriverWebhookCounts } from "../drivers/agent-driver";

/** Webhook counts plus a digest over their canonical encoding. */
export function buildWebhookDigest(counts: DriverWebhookCounts, windowSec: number, now: Date): WebhookDigest {
  const lastReceivedAt = counts.lastReceivedAt?.toISOString() ?? null;
  const digest = createHash("sha256")
    .update(canonicalJson({ windowSec, received: counts.received, failed: counts.failed, byEvent: counts.byEvent, lastReceivedAt }))
    .digest("hex");
  return {
    windowSec,
    received: counts.received,
    failed: counts.failed,
    byEvent: counts.byEvent,
    lastReceivedAt,
    digest,
    generatedAt: now.toISOString(),
  };
}
