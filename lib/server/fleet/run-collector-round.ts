import "server-only";
import { queueRedNodeBroadcasts } from "../broadcasts/queue-red-node-broadcasts";
import { db } from "../db";
import { enqueueJob } from "../jobs/job-queue";
import { collectFleetOnce } from "./collect-fleet";
import { judgeFleet } from "./list-fleet-status";

/** How often every node is polled; the freshness window for "never green on stale data" is 3 rounds. */
export function collectIntervalMs(): number {
  return Number(process.env.ROLLBOOK_COLLECT_INTERVAL_MS ?? 15_000);
}

/**
 * The collector as a durable job: one round, then it queues its own next run under a fixed job
 * key. With two dashboard instances there is still one pending collector job, and a round runs on
 * exactly one of them.
 */
export async function runCollectorRound(): Promise<void> {
  try {
    await collectFleetOnce();
    // Judge the fresh round the way the fleet page does, then broadcast nodes that turned red in a plan.
    await queueRedNodeBroadcasts(await judgeFleet());
  } finally {
    await scheduleCollector(new Date(Date.now() + collectIntervalMs()));
  }
}

export async function scheduleCollector(runAt: Date = new Date()): Promise<void> {
  await db.$transaction((tx) => enqueueJob(tx, "collect-fleet", {}, { jobKey: "collector", runAt, maxAttempts: 1 }));
}
