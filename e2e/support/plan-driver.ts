import type { PlanDetail } from "@/lib/plans/plan-detail-view";
import type { PlanStepKind } from "@/lib/plans/plan-step-kinds";
import type { DashboardApi } from "./dashboard-api";
import { pollUntil } from "./poll-until";

export type PlanStep = PlanDetail["steps"][number];

const STOPPED = new Set<PlanDetail["status"]>(["paused", "aborted", "rolled_back"]);

export function nodeName(plan: PlanDetail, nodeId: string): string {
  return plan.nodes.find((node) => node.id === nodeId)?.name ?? nodeId;
}

export function findStep(plan: PlanDetail, node: string, kind: PlanStepKind): PlanStep {
  const step = plan.steps.find((candidate) => candidate.kind === kind && nodeName(plan, candidate.nodeId) === node);
  if (!step) throw new Error(`Plan ${plan.id} has no ${kind} step for ${node}`);
  return step;
}

/** One line per node, e.g. "node-01: drain succeeded, upgrade running, doctor pending, …". */
export function describeSteps(plan: PlanDetail): string {
  const lines = plan.nodes.map((node) => {
    const steps = plan.steps.filter((step) => step.nodeId === node.id).map((step) => `${step.kind} ${step.status}`);
    return `${node.name}: ${steps.join(", ")}`;
  });
  return `plan ${plan.status}${plan.statusReason ? ` (${plan.statusReason})` : ""}; ${lines.join("; ")}`;
}

/** Throws at once when the plan can no longer get where the test wants it: a step failed, or it stopped. */
export function throwIfStuckForGood(plan: PlanDetail): void {
  const failed = plan.steps.find((step) => step.status === "failed");
  if (failed) throw new Error(`${failed.kind} on ${nodeName(plan, failed.nodeId)} failed: ${failed.error ?? "no error recorded"}`);
  if (STOPPED.has(plan.status)) throw new Error(`The plan stopped: ${describeSteps(plan)}`);
}

/**
 * Polls the plan over HTTP until `check` returns a value; on timeout the error names `what` and
 * the state every step was in, plus whatever `describe` adds (e.g. the lock on a stuck job).
 */
export async function waitForPlan<T>(
  api: DashboardApi,
  planId: string,
  check: (plan: PlanDetail) => T | undefined,
  options: { timeoutMs: number; what: string; describe?: (plan: PlanDetail) => Promise<string> | string },
): Promise<T> {
  let last: PlanDetail | undefined;
  return pollUntil(
    async () => {
      last = await api.plan(planId);
      const value = check(last);
      if (value !== undefined) return value;
      throwIfStuckForGood(last);
      return undefined;
    },
    {
      timeoutMs: options.timeoutMs,
      intervalMs: 200,
      what: options.what,
      describe: async () => {
        if (!last) return "the plan was never read";
        const extra = options.describe ? ` — ${await options.describe(last)}` : "";
        return `${describeSteps(last)}${extra}`;
      },
    },
  );
}

/**
 * Plays the approver: activates every step that waits for a click (unless `leave` keeps it for the
 * test to click itself) until `until` holds, and returns the plan at that moment.
 */
export async function drivePlan(
  api: DashboardApi,
  planId: string,
  options: { until: (plan: PlanDetail) => boolean; timeoutMs: number; what: string; leave?: (step: PlanStep, node: string) => boolean },
): Promise<PlanDetail> {
  let last: PlanDetail | undefined;
  return pollUntil(
    async () => {
      last = await api.plan(planId);
      if (options.until(last)) return last;
      throwIfStuckForGood(last);
      for (const step of last.steps) {
        if (step.status !== "awaiting_activation" || options.leave?.(step, nodeName(last, step.nodeId))) continue;
        // A widen the canary analysis holds back is tried again on the next poll.
        await api.tryActivateStep(planId, step.id);
      }
      return undefined;
    },
    {
      timeoutMs: options.timeoutMs,
      intervalMs: 200,
      what: options.what,
      describe: () => (last ? describeSteps(last) : "the plan was never read"),
    },
  );
}
