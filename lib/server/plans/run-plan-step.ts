import "server-only";
import { AppError } from "@/lib/app-error";
import { evaluateWidenGate, type GateFailure } from "@/lib/plans/evaluate-widen-gate";
import type { PlanWave } from "@/lib/plans/build-plan-steps";
import { freshBaselineOf } from "@/lib/plans/fresh-baseline";
import { planAnalysisConfig } from "@/lib/plans/plan-analysis-config";
import type { PlanGuardrails } from "@/lib/plans/plan-guardrails-schema";
import type { Lock, Operation } from "@/lib/protocol";
import { terminalPlanStatuses } from "@/lib/plans/transition-plan";
import { cancelAgentOperation, lastLogLine, runAgentAction, type AgentTarget } from "../agents/run-agent-action";
import { appendAuditEvent, recordAuditEvent } from "../audit-log";
import { db } from "../db";
import { enqueueJob } from "../jobs/job-queue";
import { applyStepEvent } from "./apply-status";
import { captureBookmark } from "./capture-bookmark";
import { collectGateNodes } from "./collect-gate-nodes";
import { releaseCapabilityChecks, releaseLock } from "./release-lock";

/** Readiness older than this never opens a gate. */
export const GATE_FRESHNESS_MS = Number(process.env.ROLLBOOK_GATE_FRESHNESS_MS ?? 30_000);

class StepFailure extends Error {
  constructor(
    message: string,
    readonly gateFailures: GateFailure[] = [],
  ) {
    super(message);
  }
}

/** The reason a step's abort signal fires when its attempt runs out of time. */
class StepTimedOut extends Error {
  override readonly name = "StepTimedOut";
}

/**
 * The request id of one agent call of a step. The first attempt keeps the original shape, so a job
 * re-run after a crash (same attempt) gets the agent's existing operation back; a retry is a new
 * attempt and so a new operation.
 */
export function stepRequestId(step: { id: string; attempt: number }, suffix: string): string {
  return step.attempt === 1 ? `step-${step.id}-${suffix}` : `step-${step.id}-a${step.attempt}-${suffix}`;
}

function toTarget(node: { id: string; name: string; agentUrl: string; agentSecret: string }): AgentTarget {
  return { id: node.id, name: node.name, agentUrl: node.agentUrl, agentSecret: node.agentSecret };
}

function requireSuccess(operation: Operation, what: string): Operation {
  if (operation.status !== "succeeded") throw new StepFailure(`${what} failed: ${lastLogLine(operation)}`);
  return operation;
}

type LoadedStep = NonNullable<Awaited<ReturnType<typeof loadStep>>>;

function loadStep(stepId: string) {
  return db.planStep.findUnique({
    where: { id: stepId },
    include: {
      node: true,
      plan: {
        include: { toRelease: { select: { manifest: true, manifestSha256: true, name: true } }, nodes: { include: { node: true } } },
      },
    },
  });
}

/** Nodes of the plan whose given step already succeeded, plus the step's own node. */
async function nodesPastStep(step: LoadedStep, kind: "verify"): Promise<AgentTarget[]> {
  const done = await db.planStep.findMany({ where: { planId: step.planId, kind, status: "succeeded" }, select: { nodeId: true } });
  const ids = new Set([...done.map((row) => row.nodeId), step.nodeId]);
  return step.plan.nodes.filter((planNode) => ids.has(planNode.nodeId)).map((planNode) => toTarget(planNode.node));
}

/** Refuses to go on unless every upgraded node agrees with its peers, is fresh, ready and within the guardrails. */
async function passGateOrThrow(step: LoadedStep, lock: Lock, guardrails: PlanGuardrails, gate: "verify" | "widen") {
  const nodes = await collectGateNodes(await nodesPastStep(step, "verify"));
  const result = evaluateWidenGate({ targetCoreVersion: lock.core, now: new Date(), freshnessMs: GATE_FRESHNESS_MS, nodes, guardrails });
  await recordAuditEvent({
    kind: result.pass ? "gate.passed" : "gate.tripped",
    planId: step.planId,
    nodeId: step.nodeId,
    data: {
      gate,
      stepId: step.id,
      node: step.node.name,
      nodes: nodes.map((node) => node.name),
      failures: result.failures.map((failure) => ({ ...failure })),
    },
  });
  if (!result.pass) {
    throw new StepFailure(`Gate before ${gate} failed: ${result.failures.map((failure) => failure.message).join(" ")}`, result.failures);
  }
}

/** Performs the step's work on the node agent; throws StepFailure when it must not count as done. */
async function performStep(step: LoadedStep, signal: AbortSignal): Promise<{ coreVersion?: string | null; lbWeight?: number }> {
  const node = toTarget(step.node);
  const lock = releaseLock(step.plan.toRelease.manifest);
  const checks = releaseCapabilityChecks(step.plan.toRelease.manifest);
  const guardrails = step.plan.guardrails as PlanGuardrails;
  const call = <A extends Parameters<typeof runAgentAction>[0]["action"]>(
    action: A,
    body: Parameters<typeof runAgentAction<A>>[0]["body"],
    suffix = action,
  ) =>
    runAgentAction({
      node,
      action,
      body,
      planId: step.planId,
      requestId: stepRequestId(step, suffix),
      signal,
      // Remembered so that a timeout, even one noticed by a later run of this job, can cancel it.
      onAccepted: async (operationId) => {
        await db.planStep.update({ where: { id: step.id }, data: { agentOperationId: operationId } });
      },
    });

  switch (step.kind) {
    case "drain":
      requireSuccess(await call("drain", { reason: `plan ${step.planId}` }), "Drain");
      return {};
    case "upgrade": {
      const operation = requireSuccess(await call("upgrade", { lock, reason: `plan ${step.planId}` }), "Upgrade");
      return { coreVersion: operation.result?.installed?.core ?? lock.core };
    }
    case "doctor": {
      const operation = requireSuccess(await call("doctor", {}), "Doctor");
      const doctor = operation.result?.doctor;
      if (!doctor) throw new StepFailure("Doctor returned no report.");
      if (doctor.status === "fail") {
        const failing = doctor.checks.filter((check) => check.status === "fail").map((check) => `${check.id}: ${check.message}`);
        throw new StepFailure(`Doctor failed: ${failing.join("; ")}`);
      }
      return {};
    }
    case "restart":
      requireSuccess(await call("restart", { reason: `plan ${step.planId}` }), "Restart");
      await restartFreshBaseline(step, signal);
      return {};
    case "verify":
      // The release's own capability checks, when it names them; else the node's last set, so scores stay comparable.
      requireSuccess(await call("verify", { expect: lock, ...(checks ? { checks } : {}) }), "Verify");
      await passGateOrThrow(step, lock, {}, "verify");
      return {};
    case "widen": {
      await passGateOrThrow(step, lock, guardrails, "widen");
      const planNode = step.plan.nodes.find((candidate) => candidate.nodeId === step.nodeId);
      const weight = step.targetWeight ?? planNode?.initialWeight ?? 100;
      requireSuccess(await call("set-weight", { weight, reason: `plan ${step.planId}` }), "Setting the weight");
      requireSuccess(await call("undrain", { reason: `plan ${step.planId}` }), "Undrain");
      return { lbWeight: weight };
    }
  }
}

/**
 * With `analysis.freshBaseline`, the first canary's restart also restarts the fresh baseline on
 * its old release (lib/plans/fresh-baseline.ts), under this step's request ids: a re-run after a
 * crash finds the agent's operation instead of restarting the node twice.
 */
async function restartFreshBaseline(step: LoadedStep, signal: AbortSignal): Promise<void> {
  if (step.wave !== 0) return;
  const config = planAnalysisConfig({ analysis: step.plan.analysis, guardrails: step.plan.guardrails as PlanGuardrails });
  const fresh = config.freshBaseline ? freshBaselineOf(step.plan.waves as unknown as PlanWave[]) : null;
  if (!fresh || fresh.carrierNodeId !== step.nodeId) return;
  const planNode = step.plan.nodes.find((candidate) => candidate.nodeId === fresh.nodeId);
  if (!planNode) throw new StepFailure("The fresh baseline node is no longer in the plan.");
  requireSuccess(
    await runAgentAction({
      node: toTarget(planNode.node),
      action: "restart",
      body: { reason: `plan ${step.planId}: fresh baseline for the canary` },
      planId: step.planId,
      requestId: stepRequestId(step, "fresh-baseline-restart"),
      signal,
    }),
    `Restarting the fresh baseline ${planNode.node.name}`,
  );
  await db.$transaction(async (tx) => {
    await tx.planNode.update({
      where: { planId_nodeId: { planId: step.planId, nodeId: fresh.nodeId } },
      data: { baselineRestartedAt: new Date() },
    });
    await appendAuditEvent(tx, {
      kind: "analysis.fresh_baseline_restarted",
      planId: step.planId,
      nodeId: fresh.nodeId,
      data: { stepId: step.id, node: planNode.node.name, canary: step.node.name },
    });
  });
}

async function finishStep(
  step: LoadedStep,
  outcome:
    { ok: true; node: { coreVersion?: string | null; lbWeight?: number } } | { ok: false; error: string; gateFailures: GateFailure[] },
) {
  await db.$transaction(async (tx) => {
    const finished = await applyStepEvent(tx, {
      stepId: step.id,
      event: outcome.ok ? "succeed" : "fail",
      fields: { finishedAt: new Date(), error: outcome.ok ? null : outcome.error },
    });
    // Someone else already recorded this attempt's end (a duplicate job); theirs stands.
    if (!finished.ok) return;
    if (outcome.ok && (outcome.node.coreVersion !== undefined || outcome.node.lbWeight !== undefined)) {
      await tx.node.update({ where: { id: step.nodeId }, data: outcome.node });
    }
    await appendAuditEvent(tx, {
      kind: outcome.ok ? "step.succeeded" : "step.failed",
      planId: step.planId,
      nodeId: step.nodeId,
      data: { stepId: step.id, kind: step.kind, node: step.node.name, attempt: step.attempt, error: outcome.ok ? null : outcome.error },
    });
    await enqueueJob(tx, "plan-tick", { planId: step.planId }, { jobKey: `plan:${step.planId}` });
  });
}

/**
 * A running step whose plan is no longer running. A paused (or rolling-back) plan gets it handed
 * back, to run again as the same attempt when it resumes: its agent calls carry the same request
 * ids, so whatever the agent already did is found, not repeated. For a finished plan the job is
 * stale (it outlived a crash while the plan ended): it changes nothing, neither the node nor the
 * step, and only says so in the audit log; the plan page shows the step as interrupted.
 */
async function settleStepOfStoppedPlan(step: LoadedStep): Promise<void> {
  if (terminalPlanStatuses.includes(step.plan.status)) {
    await recordAuditEvent({
      kind: "step.job_dropped",
      planId: step.planId,
      nodeId: step.nodeId,
      data: { stepId: step.id, kind: step.kind, node: step.node.name, attempt: step.attempt, planStatus: step.plan.status },
    });
    return;
  }
  await db.$transaction(async (tx) => {
    const handedBack = await applyStepEvent(tx, {
      stepId: step.id,
      event: "hand_back",
      fields:
        step.mode === "activate"
          ? { activatedById: null, activatedAt: null, startedAt: null, timeoutAt: null }
          : { startedAt: null, timeoutAt: null },
    });
    if (handedBack.ok) {
      await appendAuditEvent(tx, {
        kind: "step.handed_back",
        planId: step.planId,
        nodeId: step.nodeId,
        data: { stepId: step.id, kind: step.kind, node: step.node.name, planStatus: step.plan.status },
      });
    }
  });
}

/** Cancels the step's agent operation (if one was accepted) after its attempt ran out of time. */
async function cancelTimedOutOperation(step: LoadedStep, message: string): Promise<string> {
  const current = await db.planStep.findUnique({ where: { id: step.id }, select: { agentOperationId: true } });
  if (!current?.agentOperationId) return message;
  const cancelled = await cancelAgentOperation({
    node: toTarget(step.node),
    operationId: current.agentOperationId,
    reason: message,
    planId: step.planId,
  });
  if (!cancelled) return `${message} Cancelling operation ${current.agentOperationId} on the agent failed; see the audit log.`;
  if (cancelled.error?.code === "cancelled")
    return `${message} Operation ${cancelled.id} (${cancelled.action}) was cancelled on the agent.`;
  if (cancelled.status === "running" || cancelled.status === "queued") {
    return `${message} Operation ${cancelled.id} (${cancelled.action}) was asked to stop and is still stopping on the agent.`;
  }
  return `${message} Operation ${cancelled.id} (${cancelled.action}) had already ${cancelled.status}.`;
}

/**
 * The job behind one step: bookmark, gate, agent call(s), outcome. Safe to run twice: it acts only
 * on a step that is still running, keeps the first bookmark captured for it, and every agent call
 * carries a request id derived from the step and attempt, so a re-run job gets the agent's
 * existing operation. An attempt that runs past its `timeoutAt` is stopped: its agent operation is
 * cancelled and the step fails with the reason, which halts the plan (pause, or roll back when the
 * plan rolls back by itself).
 */
export async function runPlanStep(stepId: string): Promise<void> {
  const step = await loadStep(stepId);
  if (!step || step.status !== "running") return;
  if (step.plan.status !== "running") return settleStepOfStoppedPlan(step);
  await db.planStep.update({ where: { id: step.id }, data: { attempts: { increment: 1 }, startedAt: step.startedAt ?? new Date() } });

  const startedAt = step.startedAt ?? new Date();
  const timeoutAt = step.timeoutAt ?? new Date(startedAt.getTime() + 24 * 3600 * 1000);
  const limitSeconds = Math.round((timeoutAt.getTime() - startedAt.getTime()) / 1000);
  const timeoutMessage = `Timed out: ${step.kind} on ${step.node.name} did not finish within ${limitSeconds} s (attempt ${step.attempt}).`;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new StepTimedOut(timeoutMessage)), Math.max(0, timeoutAt.getTime() - Date.now()));
  try {
    timeout.signal.throwIfAborted();
    const existingBookmark = await db.bookmark.findFirst({ where: { stepId: step.id }, select: { id: true } });
    if (!existingBookmark) {
      // Before a click that interrupts the fleet, bookmark the whole plan; before a prepare step, the node.
      const planWide = step.mode === "activate";
      await captureBookmark({
        planId: step.planId,
        stepId: step.id,
        scope: planWide ? "plan" : "node",
        label: `before ${step.kind} on ${step.node.name}`,
        releaseSha256: step.plan.toRelease.manifestSha256,
        nodes: planWide ? step.plan.nodes.map((planNode) => toTarget(planNode.node)) : [toTarget(step.node)],
      });
    }
    const node = await performStep(step, timeout.signal);
    timeout.signal.throwIfAborted();
    await finishStep(step, { ok: true, node });
  } catch (error) {
    if (timeout.signal.aborted) {
      await finishStep(step, { ok: false, error: await cancelTimedOutOperation(step, timeoutMessage), gateFailures: [] });
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    const gateFailures = error instanceof StepFailure ? error.gateFailures : [];
    if (!(error instanceof StepFailure) && !(error instanceof AppError) && !(error instanceof Error && error.name === "AgentCallError")) {
      console.error(`Step ${step.id} failed unexpectedly`, error);
    }
    await finishStep(step, { ok: false, error: message, gateFailures });
  } finally {
    clearTimeout(timer);
  }
}
