import { mkdir } from "node:fs/promises";
import path from "node:path";
import { expect, type TestInfo } from "@playwright/test";
import type { ActionName } from "@/lib/protocol";
import type { PlanStepKind } from "@/lib/plans/plan-step-kinds";
import { REFERENCE_MIN_SPAN_MS } from "@/lib/analysis";
import { exampleManifests } from "@/lib/releases";
import { DEMO_USERS } from "@/prisma/demo-users";
import { everyNodeHasHistory } from "@/prisma/test/test-db";
import type { Role } from "@/lib/auth/roles";
import { agentOperations, countByAction } from "./agent-operations";
import { startCrashWorld, type CrashWorld } from "./crash-world";
import { DashboardApi } from "./dashboard-api";
import { E2E_TIME_SCALE } from "./e2e-fleet-clock";
import { startDashboardProcess, type DashboardProcess } from "./dashboard-process";
import { describeJob } from "./job-queue-probe";
import { drivePlan, findStep, waitForPlan } from "./plan-driver";
import { pollUntil } from "./poll-until";

// Only these spawned dashboards use it; sessions signed with it work on every instance.
const NEXTAUTH_SECRET = "crash-e2e-only-secret-not-for-production-0123456789";

/** Every agent operation one node's six plan steps cause: exactly one of each. */
export const ONE_OF_EACH_PLAN_OPERATION: Partial<Record<ActionName, number>> = {
  drain: 1,
  upgrade: 1,
  doctor: 1,
  restart: 1,
  verify: 1,
  "set-weight": 1,
  undrain: 1,
};

/**
 * What one crash test owns: its world (database + fleet), the dashboards it spawned and the
 * sessions it opened. `cleanup()` kills every dashboard still alive, whatever happened.
 */
export class CrashHarness {
  private readonly dashboards: DashboardProcess[] = [];
  private readonly apis: DashboardApi[] = [];
  private readonly logFiles: { name: string; file: string }[] = [];
  private currentWorld: CrashWorld | undefined;

  constructor(
    private readonly testInfo: TestInfo,
    private readonly databaseUrl: string,
  ) {}

  get world(): CrashWorld {
    if (!this.currentWorld) throw new Error("startWorld() first");
    return this.currentWorld;
  }

  async startWorld(options: { fleetSize: number; speed: number; slowMigrationMs?: number }): Promise<CrashWorld> {
    const faults = options.slowMigrationMs
      ? { faults: { [exampleManifests.successor.core]: { slowMigrationMs: options.slowMigrationMs } }, nodes: {} }
      : undefined;
    this.currentWorld = await startCrashWorld({
      databaseUrl: this.databaseUrl,
      fleetSize: options.fleetSize,
      speed: options.speed,
      ...(faults ? { faults } : {}),
    });
    return this.currentWorld;
  }

  async startDashboard(name: string, port: number): Promise<DashboardProcess> {
    const file = this.testInfo.outputPath(`dashboard-${name}.log`);
    await mkdir(path.dirname(file), { recursive: true });
    this.logFiles.push({ name, file });
    const dashboard = await startDashboardProcess({
      name,
      port,
      databaseUrl: this.databaseUrl,
      nextAuthSecret: NEXTAUTH_SECRET,
      secretKey: process.env.ROLLBOOK_SECRET_KEY ?? "",
      logFile: file,
    });
    this.dashboards.push(dashboard);
    if (this.dashboards.length === 1) await this.collectedHistory();
    return dashboard;
  }

  /**
   * Until the first dashboard's collector has every node's history over the span the canary judge
   * compares hosts on (REFERENCE_MIN_SPAN_MS of fleet time), as a real fleet has before a plan.
   */
  private async collectedHistory(): Promise<void> {
    const spanMs = REFERENCE_MIN_SPAN_MS / E2E_TIME_SCALE;
    await pollUntil(async () => ((await everyNodeHasHistory(this.world.db, spanMs)) ? true : undefined), {
      timeoutMs: spanMs + 30_000,
      what: `the collector never had ${spanMs} ms of every node's history`,
    });
  }

  async signIn(baseUrl: string, role: Role, index = 0): Promise<DashboardApi> {
    const user = DEMO_USERS.filter((candidate) => candidate.role === role)[index];
    if (!user) throw new Error(`No demo user #${index} with role ${role}`);
    const api = await DashboardApi.signIn(baseUrl, user);
    this.apis.push(api);
    return api;
  }

  /** Prints a measured time (for the lead to quote) and keeps it in the report as an annotation. */
  record(label: string, elapsedMs: number, limitMs: number): void {
    const line = `${label}: ${(elapsedMs / 1000).toFixed(1)} s (limit ${limitMs / 1000} s)`;
    console.log(`[crash-recovery] ${this.testInfo.title} — ${line}`);
    this.testInfo.annotations.push({ type: "resume time", description: line });
  }

  /**
   * Waits until every given step has succeeded, at most `withinMs` after `sinceMs`, and returns how
   * long that took. A step that is still stuck fails the test with its state and its job's lock.
   */
  async expectStepsSucceed(options: {
    api: DashboardApi;
    planId: string;
    steps: { node: string; kind: PlanStepKind }[];
    sinceMs: number;
    withinMs: number;
    after: string;
  }): Promise<number> {
    const { api, planId, steps, sinceMs, withinMs, after } = options;
    const labels = steps.map((step) => `${step.kind} on ${step.node}`).join(" and ");
    let stuck: { id: string; label: string }[] = [];
    await waitForPlan(
      api,
      planId,
      (plan) => {
        stuck = steps
          .map((wanted) => ({ step: findStep(plan, wanted.node, wanted.kind), label: `${wanted.kind} on ${wanted.node}` }))
          .filter(({ step }) => step.status !== "succeeded")
          .map(({ step, label }) => ({ id: step.id, label }));
        return stuck.length === 0 ? true : undefined;
      },
      {
        timeoutMs: Math.max(0, sinceMs + withinMs - Date.now()),
        what: `${labels} did not resume within ${withinMs / 1000} s after ${after}`,
        describe: async () => {
          const jobs = await Promise.all(stuck.map((step) => describeJob(this.world.db, `step:${step.id}`)));
          return `still waiting for ${stuck.map((step) => step.label).join(", ")}; ${jobs.join("; ")}`;
        },
      },
    );
    return Date.now() - sinceMs;
  }

  /** Counted on the agents themselves: each plan node saw each action exactly once, the others none. */
  async expectEachOperationOnce(planNodes: readonly string[], otherNodes: readonly string[]): Promise<void> {
    for (const name of planNodes) {
      const counts = countByAction(await agentOperations(this.world.node(name)));
      expect.soft(counts, `operations on ${name}'s agent, by action`).toEqual(ONE_OF_EACH_PLAN_OPERATION);
    }
    for (const name of otherNodes) {
      expect.soft(countByAction(await agentOperations(this.world.node(name))), `operations on ${name}'s agent`).toEqual({});
    }
  }

  /**
   * What every crash must leave behind: the plan completes (activations clicked as they come),
   * each agent operation happened once, and the audit chain verifies.
   */
  async expectPlanCompletesCleanly(api: DashboardApi, planId: string, nodes: { plan: readonly string[]; others: readonly string[] }) {
    await drivePlan(api, planId, { until: (plan) => plan.status === "completed", timeoutMs: 120_000, what: "the plan did not complete" });
    await this.expectEachOperationOnce(nodes.plan, nodes.others);
    expect(await api.verifyAudit(), "the audit chain verifies").toMatchObject({ ok: true, firstBreak: null });
  }

  async cleanup(): Promise<void> {
    await Promise.allSettled(this.dashboards.map((dashboard) => dashboard.kill()));
    await Promise.allSettled(this.apis.map((api) => api.dispose()));
    await this.currentWorld?.close();
    for (const { name, file } of this.logFiles)
      await this.testInfo.attach(`dashboard ${name} log`, { path: file, contentType: "text/plain" });
  }
}
