import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { run, type Runner } from "graphile-worker";
import { startFleet, type RunningFleet } from "@/lib/agent/fleet/start-fleet";
import type { SimFaultScript } from "@/lib/agent/drivers/sim/sim-fault-script-schema";
import { REFERENCE_MIN_SPAN_MS } from "@/lib/analysis";
import { exampleManifests } from "@/lib/releases";
import { db } from "@/lib/server/db";
import { ensureJobQueueSchema } from "@/lib/server/jobs/job-queue";
import { jobLogger } from "@/lib/server/jobs/job-logger";
import { scheduleCollector } from "@/lib/server/fleet/run-collector-round";
import { jobTaskList } from "@/lib/server/jobs/start-job-worker";
import { createWorkerLiveness } from "@/lib/server/jobs/worker-liveness";
import { activateStep } from "@/lib/server/plans/activate-step";
import { createRelease } from "@/lib/server/releases";
import type { SessionUser } from "@/lib/server/users";
import { terminalPlanStatuses } from "@/lib/plans/transition-plan";
import { createUser, registerFleetNodes } from "../factories";
import { everyNodeHasHistory } from "./test-db";

/** A live little world for engine tests: real agents, real Postgres, the real job worker. */
export async function startPlanWorld(options: {
  nodes: number;
  faults?: SimFaultScript;
  timeScale?: number;
  /**
   * Wait (default) until the collector has REFERENCE_MIN_SPAN_MS of every node's history, as a
   * real fleet has before a plan starts: without it the judge refuses to compare hosts (its looks
   * are inconclusive). Off for tests whose plans stop before any look.
   */
  history?: boolean;
}) {
  // The canary judge reads the collector's samples: poll fast, and read them on the fleet's clock
  // (the analysis' minutes are simulated minutes, like the leak's hours).
  const timeScale = options.timeScale ?? 60;
  process.env.ROLLBOOK_COLLECT_INTERVAL_MS = "200";
  process.env.ROLLBOOK_ANALYSIS_TIME_SCALE = String(timeScale);
  const stateDir = await mkdtemp(path.join(os.tmpdir(), "rollbook-engine-"));
  const fleet: RunningFleet = await startFleet({
    count: options.nodes,
    stateDir,
    speed: 50,
    timeScale,
    ...(options.faults ? { faults: options.faults } : {}),
  });
  await registerFleetNodes(db, fleet);
  const author = await createUser(db, { role: "operator" });
  const approver = await createUser(db, { role: "approver" });
  const secondApprover = await createUser(db, { role: "approver" });
  const stable = (await createRelease({ actor: author, source: { manifest: exampleManifests.stable } })).release;
  const successor = (await createRelease({ actor: author, source: { manifest: exampleManifests.successor } })).release;
  const leaky = (await createRelease({ actor: author, source: { manifest: exampleManifests.leaky } })).release;

  await ensureJobQueueSchema();
  await db.$executeRawUnsafe("DELETE FROM graphile_worker._private_jobs");
  // The same liveness as a dashboard's, beating fast so recovery is visible within a test.
  const liveness = createWorkerLiveness({ heartbeatMs: 200, deadAfterMs: 1_000 });
  const worker: Runner = await run({
    connectionString: process.env.DATABASE_URL!,
    taskList: jobTaskList,
    concurrency: 8,
    pollInterval: 100,
    noHandleSignals: true,
    crontab: "",
    logger: jobLogger,
    events: liveness.events,
  });
  await liveness.start();
  await scheduleCollector();
  if (options.history ?? true) {
    const spanMs = REFERENCE_MIN_SPAN_MS / timeScale;
    await eventually(() => everyNodeHasHistory(db, spanMs), { what: `${spanMs} ms of every node's history`, timeoutMs: spanMs + 20_000 });
  }

  /** Every node a plan may touch: witnesses stay on the old release by design. */
  const nodeIds = async () =>
    (await db.node.findMany({ where: { role: { not: "witness" } }, orderBy: { name: "asc" }, select: { id: true } })).map(
      (node) => node.id,
    );

  return {
    fleet,
    author,
    approver,
    secondApprover,
    releases: { stable, successor, leaky },
    nodeIds,
    liveness,
    /** A plan input from stable to successor over every plan node, canary then the rest, no holds; `overrides` replace fields. */
    async draft(overrides: Record<string, unknown> = {}) {
      return {
        title: "stable → successor",
        fromReleaseId: stable.id,
        toReleaseId: successor.id,
        nodeIds: await nodeIds(),
        strategy: {
          kind: "rolling_canary",
          stages: [
            { percent: 34, holdSeconds: 0 },
            { percent: 100, holdSeconds: 0 },
          ],
        },
        approvalsRequired: 1,
        autoRollback: true,
        ...overrides,
      };
    },
    async close() {
      await worker.stop();
      await liveness.stop();
      await fleet.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a value, or fails with the last state seen. */
export async function eventually<T>(
  check: () => Promise<T | null | undefined | false>,
  options: { timeoutMs?: number; what: string; explain?: () => Promise<string> },
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) {
      const state = options.explain ? `\n${await options.explain()}` : "";
      throw new Error(`Timed out waiting for ${options.what}${state}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const ENDED: readonly string[] = [...terminalPlanStatuses, "paused"];

/**
 * Clicks every activation as it comes (the engine and the judge refuse the ones not due yet), as
 * an approver keeping up with a plan would, until the plan completes, pauses or ends otherwise.
 * Returns how it ended; a timeout says what the plan was doing.
 */
export async function activateUntilPlanEnds(options: { actor: SessionUser; planId: string; timeoutMs?: number }): Promise<string> {
  const { actor, planId } = options;
  return eventually(
    async () => {
      for (const step of await db.planStep.findMany({ where: { planId, status: "awaiting_activation" }, orderBy: { seq: "asc" } })) {
        await activateStep({ actor, planId, stepId: step.id }).catch(() => undefined);
      }
      const { status } = await db.plan.findUniqueOrThrow({ where: { id: planId }, select: { status: true } });
      return ENDED.includes(status) && status;
    },
    { what: "the plan to end", timeoutMs: options.timeoutMs ?? 75_000, explain: () => describePlan(planId) },
  );
}

/** What a plan is doing, for a test that timed out waiting on it: status, steps and the judge's looks. */
export async function describePlan(planId: string): Promise<string> {
  const plan = await db.plan.findUniqueOrThrow({ where: { id: planId }, select: { status: true, statusReason: true } });
  const steps = await db.planStep.findMany({
    where: { planId },
    orderBy: { seq: "asc" },
    select: { wave: true, kind: true, status: true },
  });
  const runs = await db.analysisRun.findMany({
    where: { planId },
    orderBy: { at: "asc" },
    select: { wave: true, phase: true, decision: true, summary: true, result: true },
  });
  return [
    `plan ${plan.status}${plan.statusReason ? `: ${plan.statusReason}` : ""}`,
    `steps: ${steps.map((step) => `${step.wave}/${step.kind}=${step.status}`).join(" ")}`,
    ...runs.map((run) => `look wave ${run.wave} ${run.phase} ${run.decision}: ${run.summary} ${JSON.stringify(run.result).slice(0, 1500)}`),
  ].join("\n");
}
