import "server-only";
import { runMigrations } from "graphile-worker";
import type { DbTransaction } from "../db";
import { jobLogger } from "./job-logger";

/**
 * The durable job queue is graphile-worker, living in the same PostgreSQL as everything else.
 * Jobs are added with SQL inside the caller's transaction, so a job exists if and only if the state
 * change that asked for it committed: no step is lost to a crash between "saved" and "queued".
 */
export type JobName = "plan-tick" | "run-step" | "restore-bookmark" | "collect-fleet" | "send-broadcast";

export interface JobPayloads {
  "plan-tick": { planId: string };
  "run-step": { stepId: string };
  "restore-bookmark": { restoreId: string };
  "collect-fleet": Record<string, never>;
  "send-broadcast": { broadcastId: string };
}

let migrated: Promise<void> | undefined;

/** Creates or upgrades graphile-worker's own schema once per process. */
export function ensureJobQueueSchema(): Promise<void> {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) return Promise.reject(new Error("DATABASE_URL is not set"));
  migrated ??= runMigrations({ connectionString, logger: jobLogger }).catch((error: unknown) => {
    migrated = undefined;
    throw error;
  });
  return migrated;
}

/**
 * Queues a job in the given transaction. A job key makes it unique while pending: queuing
 * `plan-tick` twice for one plan leaves one job, moved to the newer run time.
 */
export async function enqueueJob<N extends JobName>(
  tx: DbTransaction,
  name: N,
  payload: JobPayloads[N],
  options: { jobKey?: string; runAt?: Date; maxAttempts?: number; keepPendingRunAt?: boolean } = {},
): Promise<void> {
  await ensureJobQueueSchema();
  // A periodic re-schedule must never postpone a pending job someone asked to run sooner (a step
  // that just finished wants the plan ticked now, not at the next watch): keep its run_at then.
  const mode = options.keepPendingRunAt ? "preserve_run_at" : "replace";
  await tx.$executeRaw`SELECT graphile_worker.add_job(
    identifier => ${name}::text,
    payload => ${JSON.stringify(payload)}::json,
    run_at => ${options.runAt ?? null}::timestamptz,
    max_attempts => ${options.maxAttempts ?? 5}::int,
    job_key => ${options.jobKey ?? null}::text,
    job_key_mode => ${mode}::text
  )`;
}
