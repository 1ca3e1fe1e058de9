import type { PrismaClient } from "@/lib/generated/prisma/client";

export type JobRow = {
  id: string;
  task_identifier: string;
  key: string | null;
  locked_by: string | null;
  locked_at: Date | null;
  run_at: Date;
  attempts: number;
  last_error: string | null;
};

/**
 * Read-only looks at graphile-worker's queue (its public `jobs` view), so a failure can say which
 * worker holds a stuck job and since when. Nothing here changes a job.
 */
export async function findJob(db: PrismaClient, key: string): Promise<JobRow | null> {
  const rows = await db.$queryRaw<JobRow[]>`
    SELECT id::text AS id, task_identifier, key, locked_by, locked_at, run_at, attempts, last_error
    FROM graphile_worker.jobs WHERE key = ${key}`;
  return rows[0] ?? null;
}

export async function describeJob(db: PrismaClient, key: string): Promise<string> {
  const job = await findJob(db, key);
  if (!job) return `job ${key}: none queued`;
  const lock = job.locked_by ? `locked by ${job.locked_by} since ${job.locked_at?.toISOString() ?? "?"}` : "not locked";
  return `job ${key} (${job.task_identifier}): ${lock}, attempts ${job.attempts}, run_at ${job.run_at.toISOString()}${
    job.last_error ? `, last error: ${job.last_error.slice(0, 200)}` : ""
  }`;
}

/**
 * The pid of the dashboard whose worker id is `workerId`, read from the "WorkerInstance" heartbeat
 * table; `undefined` when that table does not exist (dashboards without worker heartbeats).
 */
export async function workerInstancePid(db: PrismaClient, workerId: string): Promise<number | null | undefined> {
  const [table] = await db.$queryRaw<{ exists: boolean }[]>`SELECT to_regclass('public."WorkerInstance"') IS NOT NULL AS exists`;
  if (!table?.exists) return undefined;
  const rows = await db.$queryRaw<{ pid: number }[]>`SELECT pid FROM "WorkerInstance" WHERE ${workerId} = ANY("workerIds")`;
  return rows[0]?.pid ?? null;
}

/** Removes every job of earlier runs; only while no dashboard is running on this database. */
export async function deleteAllJobs(db: PrismaClient): Promise<void> {
  const [schema] = await db.$queryRaw<{ exists: boolean }[]>`SELECT to_regclass('graphile_worker._private_jobs') IS NOT NULL AS exists`;
  if (schema?.exists) await db.$executeRawUnsafe("DELETE FROM graphile_worker._private_jobs");
}
