import "server-only";
import { run, type Runner, type TaskList } from "graphile-worker";
import { z } from "zod";
import { writeAuditCheckpoint } from "../audit/audit-checkpoint-file";
import { sendBroadcast } from "../broadcasts/send-broadcast";
import { pruneMetricSamples } from "../fleet/prune-metric-samples";
import { runCollectorRound, scheduleCollector } from "../fleet/run-collector-round";
import { performBookmarkRestore } from "../plans/restore-bookmark";
import { runPlanTick } from "../plans/run-plan-tick";
import { runPlanStep } from "../plans/run-plan-step";
import { ensureJobQueueSchema } from "./job-queue";
import { jobLogger } from "./job-logger";
import { createWorkerLiveness } from "./worker-liveness";

const planTickPayload = z.object({ planId: z.string() });
const runStepPayload = z.object({ stepId: z.string() });
const restorePayload = z.object({ restoreId: z.string() });
const broadcastPayload = z.object({ broadcastId: z.string() });

// Payloads come back from the database; parse them like any other input.
export const jobTaskList: TaskList = {
  "plan-tick": async (payload) => runPlanTick(planTickPayload.parse(payload).planId),
  "run-step": async (payload) => runPlanStep(runStepPayload.parse(payload).stepId),
  "restore-bookmark": async (payload) => performBookmarkRestore(restorePayload.parse(payload).restoreId),
  "collect-fleet": async () => runCollectorRound(),
  "prune-metrics": async () => {
    await pruneMetricSamples();
  },
  "audit-checkpoint": async () => {
    await writeAuditCheckpoint();
  },
  "send-broadcast": async (payload, helpers) =>
    sendBroadcast(broadcastPayload.parse(payload).broadcastId, { finalAttempt: helpers.job.attempts >= helpers.job.max_attempts }),
};

const globalForWorker = globalThis as unknown as { rollbookWorker?: Promise<Runner> };

/**
 * Starts the job worker inside this dashboard process. Several dashboard instances may each run
 * one: graphile-worker locks every job row, so a job runs on exactly one of them. Each instance
 * beats in Postgres (worker-liveness.ts); when one dies, any live instance releases its jobs
 * within seconds, and a restarted one releases its previous life's jobs as it starts.
 */
export function startJobWorker(): Promise<Runner> {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) return Promise.reject(new Error("DATABASE_URL is not set"));
  globalForWorker.rollbookWorker ??= ensureJobQueueSchema().then(async () => {
    // Start polling at once; the job key keeps a single collector however many instances start.
    if (process.env.ROLLBOOK_COLLECTOR !== "off") await scheduleCollector();
    const liveness = createWorkerLiveness();
    const runner = await run({
      connectionString,
      // Steps mostly wait on agents over HTTP; a handful in parallel keeps a 100-node wave moving.
      concurrency: Number(process.env.ROLLBOOK_WORKER_CONCURRENCY ?? 8),
      pollInterval: 500,
      noHandleSignals: false,
      // Hourly at :17; graphile-worker runs each cron slot once, however many instances there are.
      // Every minute, the signed audit head goes to the checkpoint file when it moved.
      crontab: ["17 * * * * prune-metrics", "* * * * * audit-checkpoint"].join("\n"),
      logger: jobLogger,
      taskList: jobTaskList,
      events: liveness.events,
    });
    await liveness.start();
    void runner.promise.finally(() => liveness.stop().catch(() => undefined));
    return runner;
  });
  return globalForWorker.rollbookWorker;
}
