import { expect, test } from "@playwright/test";
import type { PlanDraftInput } from "@/lib/plans/plan-draft-schema";
import { agentOperations, latestOperation } from "./support/agent-operations";
import { CrashHarness } from "./support/crash-harness";
import { crashDatabaseUrl, prepareCrashDatabase, type CrashWorld } from "./support/crash-world";
import { freePort } from "./support/free-port";
import { findJob, workerInstancePid } from "./support/job-queue-probe";
import { drivePlan, findStep, waitForPlan } from "./support/plan-driver";
import { pollUntil } from "./support/poll-until";

/*
 * A hard crash must not stall a rollout. Each test runs real `next start` dashboards (the `.next`
 * build the webServer made) with their own job workers on a database of their own, and a real
 * simulated fleet in this process; it SIGKILLs a dashboard at a chosen point and measures how soon
 * the interrupted work goes on. The limits are the promises for the default worker
 * heartbeat (5 s) and dead-worker timeout (15 s):
 *   - a restarted dashboard resumes an interrupted step within 30 s of serving again;
 *   - with two instances, the survivor resumes it within 60 s of the kill, with no restart.
 * Every agent operation is counted on the agents: a resumed step must get the agent's existing
 * operation back (request ids derive from the step), never start a second one.
 */

const RESUME_AFTER_RESTART_MS = 30_000;
const RESUME_ON_SURVIVOR_MS = 60_000;

let databaseUrl = "";

// In order, in one worker (they share the crash database); a failing test does not skip the others.
test.describe.configure({ mode: "default" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  databaseUrl = crashDatabaseUrl();
  await prepareCrashDatabase(databaseUrl);
});

function draft(world: CrashWorld, title: string, nodes: readonly string[], strategy: PlanDraftInput["strategy"]): PlanDraftInput {
  return {
    title: `${title} ${Date.now()}`,
    fromReleaseId: world.fromReleaseId,
    toReleaseId: world.toReleaseId,
    nodeIds: nodes.map((name) => world.node(name).id),
    strategy,
    guardrails: {},
    approvalsRequired: 1,
    autoRollback: false,
    // These plans test crash recovery, not the judge: only a failing canary may stop them (a
    // marginal look on these tiny fleets, one witness as the whole baseline, would pause them).
    analysis: { thresholds: { pass: 0, marginal: 0 } },
  };
}

test("a dashboard SIGKILLed mid-upgrade and right after an activation resumes each step within 30 s of its restart", async () => {
  test.setTimeout(300_000);
  const harness = new CrashHarness(test.info(), databaseUrl);
  try {
    // A 3 s migration makes the upgrade last ~5.5 s, so the kill lands while the agent works.
    const world = await harness.startWorld({ fleetSize: 4, speed: 1, slowMigrationMs: 3_000 });
    const planNodes = ["node-01", "node-02", "node-03"];
    const port = await freePort();
    let dashboard = await harness.startDashboard("single-1", port);
    const operator = await harness.signIn(dashboard.url, "operator");
    const approver = await harness.signIn(dashboard.url, "approver");
    const strategy: PlanDraftInput["strategy"] = {
      kind: "rolling_canary",
      stages: [
        { percent: 34, holdSeconds: 0 },
        { percent: 100, holdSeconds: 0 },
      ],
    };
    const planId = await operator.createPlan(draft(world, "Crash mid-step", planNodes, strategy));
    await approver.approvePlan(planId);

    // Kill 1: while node-01's upgrade runs on its agent.
    const node01 = world.node("node-01");
    await pollUntil(async () => (latestOperation(await agentOperations(node01), "upgrade")?.status === "running" ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 50,
      what: "node-01's upgrade never started on its agent",
    });
    expect(findStep(await approver.plan(planId), "node-01", "upgrade").status).toBe("running");
    await dashboard.kill();
    dashboard = await harness.startDashboard("single-2", port);
    const upgradeResumed = await harness.expectStepsSucceed({
      api: approver,
      planId,
      steps: [{ node: "node-01", kind: "upgrade" }],
      sinceMs: dashboard.readyAt,
      withinMs: RESUME_AFTER_RESTART_MS,
      after: "the killed dashboard was restarted",
    });
    harness.record("upgrade killed mid-operation → succeeded after restart", upgradeResumed, RESUME_AFTER_RESTART_MS);

    // Kill 2: right after an approver's activation, once a worker has taken the step's job.
    const restart = await waitForPlan(
      approver,
      planId,
      (plan) => {
        const step = findStep(plan, "node-01", "restart");
        return step.status === "awaiting_activation" ? step : undefined;
      },
      { timeoutMs: 60_000, what: "node-01's restart never waited for activation" },
    );
    await approver.activateStep(planId, restart.id);
    await pollUntil(async () => (await findJob(world.db, `step:${restart.id}`))?.locked_by ?? undefined, {
      timeoutMs: 10_000,
      intervalMs: 20,
      what: `no worker took the job of node-01's activated restart (step:${restart.id})`,
    });
    await dashboard.kill();
    dashboard = await harness.startDashboard("single-3", port);
    const restartResumed = await harness.expectStepsSucceed({
      api: approver,
      planId,
      steps: [{ node: "node-01", kind: "restart" }],
      sinceMs: dashboard.readyAt,
      withinMs: RESUME_AFTER_RESTART_MS,
      after: "the dashboard killed right after the activation was restarted",
    });
    harness.record("restart killed right after activation → succeeded after restart", restartResumed, RESUME_AFTER_RESTART_MS);

    await harness.expectPlanCompletesCleanly(approver, planId, { plan: planNodes, others: ["node-04"] });
  } finally {
    await harness.cleanup();
  }
});

test("a dashboard SIGKILLed between a widen's two agent calls, and during a hold, resumes within 30 s of its restart", async () => {
  test.setTimeout(300_000);
  const harness = new CrashHarness(test.info(), databaseUrl);
  try {
    // Half speed: a set-weight takes 200 ms on the agent, the window the kill has to hit.
    const world = await harness.startWorld({ fleetSize: 3, speed: 0.5 });
    const planNodes = ["node-01", "node-02"];
    const holdMs = 6_000;
    const port = await freePort();
    let dashboard = await harness.startDashboard("single-1", port);
    const operator = await harness.signIn(dashboard.url, "operator");
    const approver = await harness.signIn(dashboard.url, "approver");
    const strategy: PlanDraftInput["strategy"] = {
      kind: "rolling_canary",
      stages: [
        { percent: 50, holdSeconds: holdMs / 1000 },
        { percent: 100, holdSeconds: 0 },
      ],
    };
    const planId = await operator.createPlan(draft(world, "Crash between calls", planNodes, strategy));
    await approver.approvePlan(planId);
    const plan = await drivePlan(approver, planId, {
      until: (current) => findStep(current, "node-01", "widen").status === "awaiting_activation",
      leave: (step, node) => node === "node-01" && step.kind === "widen",
      timeoutMs: 90_000,
      what: "node-01's widen never waited for activation",
    });

    // Kill 1: the widen sets the weight, then undrains; kill once set-weight is on the agent.
    const node01 = world.node("node-01");
    await approver.activateStepWhenAllowed(planId, findStep(plan, "node-01", "widen").id);
    await pollUntil(async () => (latestOperation(await agentOperations(node01), "set-weight") ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 10,
      what: "node-01's widen never asked its agent to set the weight",
    });
    await dashboard.kill();
    expect(
      latestOperation(await agentOperations(node01), "undrain"),
      "the kill landed between set-weight and undrain (undrain had not been asked for yet)",
    ).toBeUndefined();
    dashboard = await harness.startDashboard("single-2", port);
    const widenResumed = await harness.expectStepsSucceed({
      api: approver,
      planId,
      steps: [{ node: "node-01", kind: "widen" }],
      sinceMs: dashboard.readyAt,
      withinMs: RESUME_AFTER_RESTART_MS,
      after: "the dashboard killed between set-weight and undrain was restarted",
    });
    harness.record("widen killed between set-weight and undrain → succeeded after restart", widenResumed, RESUME_AFTER_RESTART_MS);

    // Kill 2: during wave 0's hold; wave 1 must start once the hold is over, not before.
    const widen = findStep(await approver.plan(planId), "node-01", "widen");
    const holdEndsAt = Date.parse(widen.finishedAt ?? "") + holdMs;
    expect(holdEndsAt - Date.now(), "the hold is still running when the dashboard is killed").toBeGreaterThan(2_000);
    await dashboard.kill();
    dashboard = await harness.startDashboard("single-3", port);
    const resumeFrom = Math.max(dashboard.readyAt, holdEndsAt);
    const drainStartedAt = await waitForPlan(
      approver,
      planId,
      (current) => {
        const drain = findStep(current, "node-02", "drain");
        return drain.startedAt ? Date.parse(drain.startedAt) : undefined;
      },
      {
        timeoutMs: Math.max(0, resumeFrom + RESUME_AFTER_RESTART_MS - Date.now()),
        what: `wave 1 did not start within ${RESUME_AFTER_RESTART_MS / 1000} s after the hold ended on the restarted dashboard`,
      },
    );
    expect(drainStartedAt, "wave 1 waited for the whole hold").toBeGreaterThanOrEqual(holdEndsAt);
    harness.record(
      "killed during a hold → next wave started after restart and hold end",
      drainStartedAt - resumeFrom,
      RESUME_AFTER_RESTART_MS,
    );

    await harness.expectPlanCompletesCleanly(approver, planId, { plan: planNodes, others: ["node-03"] });
  } finally {
    await harness.cleanup();
  }
});

test("with two dashboards, killing the one that runs the upgrades lets the survivor resume them within 60 s, no restart", async () => {
  test.setTimeout(300_000);
  const harness = new CrashHarness(test.info(), databaseUrl);
  try {
    // The upgrades last ~12 s: long enough for B to come up while A holds their jobs.
    const world = await harness.startWorld({ fleetSize: 3, speed: 1, slowMigrationMs: 10_000 });
    const planNodes = ["node-01", "node-02"];
    const a = await harness.startDashboard("A", await freePort());
    const operator = await harness.signIn(a.url, "operator");
    const approverOnA = await harness.signIn(a.url, "approver");
    const planId = await operator.createPlan(draft(world, "Crash one of two", planNodes, { kind: "big_bang", holdSeconds: 0 }));
    await approverOnA.approvePlan(planId);

    // A alone takes both upgrade jobs; then B joins, as a second instance of a rolling deploy would.
    const plan = await waitForPlan(
      approverOnA,
      planId,
      (current) => (planNodes.every((node) => findStep(current, node, "upgrade").status === "running") ? current : undefined),
      { timeoutMs: 60_000, what: "the upgrades never started" },
    );
    const upgradeJobs = planNodes.map((node) => `step:${findStep(plan, node, "upgrade").id}`);
    const holders = await Promise.all(
      upgradeJobs.map((key) =>
        pollUntil(async () => (await findJob(world.db, key))?.locked_by ?? undefined, {
          timeoutMs: 10_000,
          intervalMs: 50,
          what: `${key} was never locked`,
        }),
      ),
    );
    for (const node of planNodes) {
      const member = world.node(node);
      await pollUntil(async () => (latestOperation(await agentOperations(member), "upgrade")?.status === "running" ? true : undefined), {
        timeoutMs: 30_000,
        intervalMs: 50,
        what: `${node}'s upgrade never started on its agent`,
      });
    }
    const b = await harness.startDashboard("B", await freePort());
    for (const node of planNodes) {
      expect(
        latestOperation(await agentOperations(world.node(node)), "upgrade")?.status,
        `${node}'s upgrade still runs when A is killed`,
      ).toBe("running");
    }
    for (const workerId of holders) {
      const pid = await workerInstancePid(world.db, workerId);
      // Dashboards with heartbeats say which process each worker id belongs to; it must be A.
      if (pid !== undefined) expect(pid !== null && (await a.ownsPid(pid)), `worker ${workerId} (pid ${pid}) is instance A`).toBe(true);
    }

    const killedAt = Date.now();
    await a.kill();
    const approver = approverOnA.at(b.url);
    // Until B takes the jobs over, the plan page says what is wrong instead of spinning.
    const stalled = await waitForPlan(approver, planId, (current) => current.steps.find((step) => step.liveness?.state === "stalled"), {
      timeoutMs: 30_000,
      what: "no step was shown as stalled while its instance was dead",
    });
    expect(stalled.liveness?.state === "stalled" && stalled.liveness.reason, "the stall names the silent instance").toContain(
      "stopped answering",
    );
    const resumed = await harness.expectStepsSucceed({
      api: approver,
      planId,
      steps: planNodes.map((node) => ({ node, kind: "upgrade" as const })),
      sinceMs: killedAt,
      withinMs: RESUME_ON_SURVIVOR_MS,
      after: "instance A was killed (instance B kept running)",
    });
    harness.record("upgrades held by killed instance A → succeeded on survivor B", resumed, RESUME_ON_SURVIVOR_MS);
    expect(b.alive(), "B kept running, nobody restarted anything").toBe(true);

    await harness.expectPlanCompletesCleanly(approver, planId, { plan: planNodes, others: ["node-03"] });
  } finally {
    await harness.cleanup();
  }
});
