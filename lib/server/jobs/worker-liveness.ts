import "server-only";
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import os from "node:os";
import type { WorkerEvents } from "graphile-worker";
import { z } from "zod";
import { recordAuditEvent } from "../audit-log";
import { sqlPool } from "../db";

const livenessSettingsSchema = z.object({
  ROLLBOOK_WORKER_HEARTBEAT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  ROLLBOOK_WORKER_DEAD_AFTER_MS: z.coerce.number().int().min(500).max(3_600_000).default(15_000),
});

/** How often an instance beats, and how long it may stay silent before others take over its jobs. */
export function livenessSettings(env: Record<string, string | undefined> = process.env): { heartbeatMs: number; deadAfterMs: number } {
  const parsed = livenessSettingsSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `Invalid worker liveness settings: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
    );
  }
  const { ROLLBOOK_WORKER_HEARTBEAT_MS: heartbeatMs, ROLLBOOK_WORKER_DEAD_AFTER_MS: deadAfterMs } = parsed.data;
  // Three missed beats before a verdict: one slow beat (a GC pause, a busy Postgres) is not death.
  if (deadAfterMs < heartbeatMs * 3) {
    throw new Error(`ROLLBOOK_WORKER_DEAD_AFTER_MS (${deadAfterMs}) must be at least three heartbeats (${heartbeatMs * 3} ms)`);
  }
  return { heartbeatMs, deadAfterMs };
}

type RecoveredInstance = { id: string; hostname: string; pid: number; beatAt: Date; workerIds: string[] };
type ReleasedJob = { id: string; task: string; key: string | null; lockedBy: string };

/**
 * Finds dashboard instances that stopped beating and worker ids no live instance claims, and
 * releases every job they hold so a live worker runs it again now. Safe to run from every instance
 * at once: deleting a dead instance's row and unlocking are idempotent, and the job's own code is
 * idempotent per step (request ids), so a job that a slow-but-alive instance still runs does not
 * make a second agent operation. Times are the database's clock, never the callers'.
 */
export async function releaseDeadWorkersJobs(options: {
  deadAfterMs: number;
  /** Instances known to be dead whatever their last beat says (a process on this host that is gone). */
  deadInstanceIds?: readonly string[];
}): Promise<{ instances: RecoveredInstance[]; jobs: ReleasedJob[] }> {
  const client = await sqlPool().connect();
  try {
    await client.query("BEGIN");
    const dead = await client.query<RecoveredInstance>(
      `DELETE FROM "WorkerInstance"
       WHERE "beatAt" < (now() AT TIME ZONE 'UTC') - make_interval(secs => $1::double precision / 1000)
          OR id = ANY($2::text[])
       RETURNING id, hostname, pid, "beatAt", "workerIds"`,
      [options.deadAfterMs, options.deadInstanceIds ?? []],
    );
    // A worker id that no instance claims and that has held its job longer than the silence
    // allowed belongs to a process that died before its first beat recorded its ids.
    const locked = await client.query<ReleasedJob>(
      `SELECT j.id::text AS id, t.identifier AS task, j.key, j.locked_by AS "lockedBy"
       FROM graphile_worker._private_jobs j
       JOIN graphile_worker._private_tasks t ON t.id = j.task_id
       WHERE j.locked_by IS NOT NULL
         AND (j.locked_by = ANY($1::text[])
              OR (j.locked_at < now() - make_interval(secs => $2::double precision / 1000)
                  AND NOT EXISTS (SELECT 1 FROM "WorkerInstance" w WHERE j.locked_by = ANY(w."workerIds"))))
       FOR UPDATE OF j`,
      [dead.rows.flatMap((row) => row.workerIds), options.deadAfterMs],
    );
    const workerIds = [...new Set([...dead.rows.flatMap((row) => row.workerIds), ...locked.rows.map((job) => job.lockedBy)])];
    if (workerIds.length > 0) await client.query("SELECT graphile_worker.force_unlock_workers($1::text[])", [workerIds]);
    await client.query("COMMIT");
    return { instances: dead.rows, jobs: locked.rows };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export type WorkerLiveness = {
  readonly instanceId: string;
  /** Pass to graphile-worker's run() as `events`: it tells us the worker ids of this process. */
  readonly events: WorkerEvents;
  /** Records this instance and starts beating and sweeping; call once run() has started. */
  start(): Promise<void>;
  /** Stops beating and removes this instance's row (a clean stop: its jobs were released). */
  stop(): Promise<void>;
};

/**
 * Worker liveness for one dashboard process, on top of graphile-worker's own mechanisms:
 * graphile-worker 0.16 (and every later release on npm) only treats a lock as stale after 4 hours
 * and has no heartbeat, but it names the worker holding each job (`locked_by`) and offers
 * `force_unlock_workers`. So each instance writes a heartbeat row listing its worker ids, and every
 * instance sweeps: an instance silent for `deadAfterMs` is dead and its jobs are unlocked at once.
 * With the defaults (beat 5 s, dead after 15 s, sweep every beat) a killed instance's step runs
 * again within ~20 s on a survivor, or on the same instance once it is back.
 */
export function createWorkerLiveness(settings: { heartbeatMs: number; deadAfterMs: number } = livenessSettings()): WorkerLiveness {
  const instanceId = `rollbook-${os.hostname()}-${process.pid}-${randomBytes(4).toString("hex")}`;
  const workerIds = new Set<string>();
  const events: WorkerEvents = new EventEmitter();
  events.on("worker:create", ({ worker }) => workerIds.add(worker.workerId));
  let timer: NodeJS.Timeout | undefined;
  let beating: Promise<void> = Promise.resolve();

  /**
   * Instances recorded on this host whose process is gone: a dashboard restarted after a crash
   * need not wait out the silence of its previous life. Another live process that happens to
   * have the recorded pid (pid reuse) only delays this to the normal silence rule.
   */
  async function goneOnThisHost(): Promise<string[]> {
    const rows = await sqlPool().query<{ id: string; pid: number }>(
      `SELECT id, pid FROM "WorkerInstance" WHERE hostname = $1 AND id <> $2`,
      [os.hostname(), instanceId],
    );
    return rows.rows.filter((row) => row.pid === process.pid || !processIsAlive(row.pid)).map((row) => row.id);
  }

  async function beat(options: { checkThisHost?: boolean } = {}): Promise<void> {
    await sqlPool().query(
      `INSERT INTO "WorkerInstance" (id, pid, hostname, "workerIds", "startedAt", "beatAt")
       VALUES ($1, $2, $3, $4, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
       ON CONFLICT (id) DO UPDATE SET "workerIds" = EXCLUDED."workerIds", "beatAt" = EXCLUDED."beatAt"`,
      [instanceId, process.pid, os.hostname(), [...workerIds]],
    );
    const released = await releaseDeadWorkersJobs({
      deadAfterMs: settings.deadAfterMs,
      deadInstanceIds: options.checkThisHost ? await goneOnThisHost() : [],
    });
    for (const instance of released.instances) {
      await recordAuditEvent({
        kind: "worker.recovered",
        data: {
          instanceId: instance.id,
          hostname: instance.hostname,
          pid: instance.pid,
          lastBeatAt: instance.beatAt.toISOString(),
          by: instanceId,
          jobs: released.jobs.filter((job) => instance.workerIds.includes(job.lockedBy)).map(({ id, task, key }) => ({ id, task, key })),
        },
      });
    }
    const orphans = released.jobs.filter((job) => !released.instances.some((instance) => instance.workerIds.includes(job.lockedBy)));
    if (orphans.length > 0) {
      await recordAuditEvent({
        kind: "worker.recovered",
        data: { instanceId: null, by: instanceId, jobs: orphans.map(({ id, task, key }) => ({ id, task, key })) },
      });
    }
  }

  function schedule(): void {
    timer = setTimeout(() => {
      beating = beat()
        .catch((error: unknown) => console.error("[jobs] worker heartbeat failed:", error instanceof Error ? error.message : error))
        .finally(() => {
          if (timer) schedule();
        });
    }, settings.heartbeatMs);
    timer.unref();
  }

  return {
    instanceId,
    events,
    async start() {
      await beat({ checkThisHost: true });
      schedule();
    },
    async stop() {
      const pending = timer;
      timer = undefined;
      clearTimeout(pending);
      await beating;
      await sqlPool().query(`DELETE FROM "WorkerInstance" WHERE id = $1`, [instanceId]);
    },
  };
}
