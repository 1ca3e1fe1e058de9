import os from "node:os";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { db, sqlPool } from "../db";
import { ensureJobQueueSchema } from "./job-queue";
import { createWorkerLiveness, livenessSettings, releaseDeadWorkersJobs, type WorkerLiveness } from "./worker-liveness";

let liveness: WorkerLiveness | undefined;

beforeEach(async () => {
  await ensureJobQueueSchema();
  await db.$executeRawUnsafe("DELETE FROM graphile_worker._private_jobs");
});

afterEach(async () => {
  await liveness?.stop();
  liveness = undefined;
});

/** Queues a job and marks it locked by `workerId` since `lockedSecondsAgo`, as a worker would. */
async function lockedJob(key: string, workerId: string, lockedSecondsAgo: number): Promise<void> {
  await sqlPool().query(`SELECT graphile_worker.add_job('plan-tick', '{"planId":"p"}'::json, job_key => $1)`, [key]);
  await sqlPool().query(
    `UPDATE graphile_worker._private_jobs SET locked_by = $2, locked_at = now() - make_interval(secs => $3) WHERE key = $1`,
    [key, workerId, lockedSecondsAgo],
  );
}

async function lockOf(key: string): Promise<string | null> {
  const rows = await sqlPool().query<{ locked_by: string | null }>(`SELECT locked_by FROM graphile_worker._private_jobs WHERE key = $1`, [
    key,
  ]);
  return rows.rows[0]?.locked_by ?? null;
}

/** An instance row as another dashboard would have written it, beating `beatSecondsAgo`. */
async function instance(id: string, workerIds: string[], beatSecondsAgo: number, where: { hostname?: string; pid?: number } = {}) {
  await sqlPool().query(
    `INSERT INTO "WorkerInstance" (id, pid, hostname, "workerIds", "startedAt", "beatAt")
     VALUES ($1, $2, $3, $4, now() AT TIME ZONE 'UTC', (now() AT TIME ZONE 'UTC') - make_interval(secs => $5))`,
    [id, where.pid ?? 424242, where.hostname ?? "another-host", workerIds, beatSecondsAgo],
  );
}

describe("worker liveness", () => {
  it("releases the jobs of an instance that stopped beating, and only those", async () => {
    await instance("dead", ["worker-dead-1", "worker-dead-2"], 60);
    await instance("alive", ["worker-alive"], 1);
    await lockedJob("step:a", "worker-dead-1", 50);
    await lockedJob("step:b", "worker-dead-2", 2);
    await lockedJob("step:c", "worker-alive", 3_600);

    const released = await releaseDeadWorkersJobs({ deadAfterMs: 15_000 });

    expect(released.instances.map((row) => row.id)).toEqual(["dead"]);
    expect(released.jobs.map((job) => job.key).sort()).toEqual(["step:a", "step:b"]);
    expect(await lockOf("step:a")).toBeNull();
    expect(await lockOf("step:b")).toBeNull();
    // A live instance's job is left alone however long it has run: it is working, not stuck.
    expect(await lockOf("step:c")).toBe("worker-alive");
    expect(await db.workerInstance.findMany({ select: { id: true } })).toEqual([{ id: "alive" }]);
  });

  it("releases a job locked by a worker no instance claims, once it has been silent longer than allowed", async () => {
    await lockedJob("step:old", "worker-unknown", 60);
    await lockedJob("step:new", "worker-just-started", 2);
    await releaseDeadWorkersJobs({ deadAfterMs: 15_000 });
    expect(await lockOf("step:old")).toBeNull();
    // A worker that has only just locked its job may not have beaten yet: give it the same grace.
    expect(await lockOf("step:new")).toBe("worker-just-started");
  });

  it("beats, sweeps on its own, audits each recovery, and removes its row on a clean stop", async () => {
    liveness = createWorkerLiveness({ heartbeatMs: 100, deadAfterMs: 400 });
    await liveness.start();
    const own = await db.workerInstance.findUniqueOrThrow({ where: { id: liveness.instanceId } });
    expect(own).toMatchObject({ pid: process.pid, hostname: os.hostname() });

    // Another instance goes silent while holding a step: it is released within a few beats.
    await instance("crashed", ["worker-crashed"], 0);
    await lockedJob("step:held", "worker-crashed", 0);
    const deadline = Date.now() + 5_000;
    while ((await lockOf("step:held")) !== null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await lockOf("step:held")).toBeNull();
    const recovered = await db.auditEvent.findFirstOrThrow({ where: { kind: "worker.recovered" } });
    expect(recovered.data).toMatchObject({
      instanceId: "crashed",
      by: liveness.instanceId,
      jobs: [{ task: "plan-tick", key: "step:held" }],
    });

    // Its own row keeps beating meanwhile.
    const later = await db.workerInstance.findUniqueOrThrow({ where: { id: liveness.instanceId } });
    expect(later.beatAt.getTime()).toBeGreaterThan(own.beatAt.getTime());
    await liveness.stop();
    liveness = undefined;
    expect(await db.workerInstance.count({ where: { id: own.id } })).toBe(0);
  });

  it("on start, releases at once what a previous life on this host held, however fresh its last beat", async () => {
    // A process id that cannot be alive: the dashboard that crashed a moment ago.
    await instance("previous-life", ["worker-previous"], 0, { hostname: os.hostname(), pid: 2 ** 22 + 17 });
    await lockedJob("step:interrupted", "worker-previous", 0);
    liveness = createWorkerLiveness({ heartbeatMs: 5_000, deadAfterMs: 15_000 });
    await liveness.start();
    expect(await lockOf("step:interrupted")).toBeNull();
    expect(await db.workerInstance.count({ where: { id: "previous-life" } })).toBe(0);
  });

  it("reads its settings from the environment and refuses a verdict faster than three beats", () => {
    expect(livenessSettings({})).toEqual({ heartbeatMs: 5_000, deadAfterMs: 15_000 });
    expect(livenessSettings({ ROLLBOOK_WORKER_HEARTBEAT_MS: "1000", ROLLBOOK_WORKER_DEAD_AFTER_MS: "3000" })).toEqual({
      heartbeatMs: 1_000,
      deadAfterMs: 3_000,
    });
    expect(() => livenessSettings({ ROLLBOOK_WORKER_HEARTBEAT_MS: "1000", ROLLBOOK_WORKER_DEAD_AFTER_MS: "2000" })).toThrow(
      /three heartbeats/,
    );
    expect(() => livenessSettings({ ROLLBOOK_WORKER_HEARTBEAT_MS: "soon" })).toThrow(/ROLLBOOK_WORKER_HEARTBEAT_MS/);
  });
});
