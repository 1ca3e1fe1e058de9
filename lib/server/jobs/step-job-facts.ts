import "server-only";
import type { StepJobFacts } from "@/lib/plans/step-liveness";
import { sqlPool } from "../db";

type FactsRow = {
  stepId: string;
  lockedBy: string | null;
  lockedAt: Date | null;
  runAt: Date;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  hostname: string | null;
  pid: number | null;
  beatAt: Date | null;
};

/**
 * The job queue's view of the given steps' `run-step` jobs (keyed `step:<id>`), joined with the
 * dashboard instance holding each one. One statement; steps without a job are absent from the map.
 */
export async function stepJobFacts(stepIds: readonly string[]): Promise<Map<string, StepJobFacts>> {
  if (stepIds.length === 0) return new Map();
  const keys = stepIds.map((id) => `step:${id}`);
  // graphile-worker's schema may not exist yet on a database no worker has started on.
  const rows = await sqlPool()
    .query<FactsRow>(
      `SELECT substr(j.key, 6) AS "stepId", j.locked_by AS "lockedBy", j.locked_at AS "lockedAt", j.run_at AS "runAt",
              j.attempts, j.max_attempts AS "maxAttempts", j.last_error AS "lastError",
              w.hostname, w.pid, w."beatAt" AT TIME ZONE 'UTC' AS "beatAt"
       FROM graphile_worker._private_jobs j
       LEFT JOIN "WorkerInstance" w ON j.locked_by = ANY(w."workerIds")
       WHERE j.key = ANY($1::text[])`,
      [keys],
    )
    .catch((error: { code?: string }) => {
      if (error.code === "42P01") return { rows: [] as FactsRow[] };
      throw error;
    });
  return new Map(
    rows.rows.map((row) => [
      row.stepId,
      {
        job: {
          lockedBy: row.lockedBy,
          lockedAt: row.lockedAt,
          runAt: row.runAt,
          attempts: row.attempts,
          maxAttempts: row.maxAttempts,
          lastError: row.lastError,
        },
        holder:
          row.hostname !== null && row.pid !== null && row.beatAt !== null
            ? { hostname: row.hostname, pid: row.pid, beatAt: row.beatAt }
            : null,
      },
    ]),
  );
}
