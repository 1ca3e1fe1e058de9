import "server-only";
import { AppError } from "@/lib/app-error";
import { evaluateWidenGate, type GateFailure } from "@/lib/plans/evaluate-widen-gate";
import type { PlanGuardrails } from "@/lib/plans/plan-guardrails-schema";
import type { Lock, Operation } from "@/lib/protocol";
import { lastLogLine, runAgentAction, type AgentTarget } from "../agents/run-agent-action";
import { appendAuditEvent, recordAuditEvent } from "../audit-log";
import { db } from "../db";
import { enqueueJob } from "../jobs/job-queue";
import { captureBookmark } from "./capture-bookmark";
import { collectGateNodes } from "./collect-gate-nodes";
import { releaseLock } from "./release-lock";

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
async function performStep(step: LoadedStep): Promise<{ coreVersion?: string | null; lbWeight?: number }> {
  const node = toTarget(step.node);
  const lock = releaseLock(step.plan.toRelease.manifest);
  const guardrails = step.plan.guardrails as PlanGuardrails;
  const call = <A extends Parameters<typeof runAgentAction>[0]["action"]>(
    action: A,
    body: Parameters<typeof runAgentAction<A>>[0]["body"],
    suffix = action,
  ) => runAgentAction({ node, action, body, planId: step.planId, requestId: `step-${step.id}-${suffix}` });

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
      return {};
    case "verify":
      requireSuccess(await call("verify", { expect: lock }), "Verify");
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

async function finishStep(
  step: LoadedStep,
  outcome:
    { ok: true; node: { coreVersion?: string | null; lbWeight?: number } } | { ok: false; error: string; gateFailures: GateFailure[] },
) {
  await db.$transaction(async (tx) => {
    const finished = await tx.planStep.updateMany({
      where: { id: step.id, status: "running" },
      data: { status: outcome.ok ? "succeeded" : "failed", finishedAt: new Date(), error: outcome.ok ? null : outcome.error },
    });
    if (finished.count === 0) return;
    if (outcome.ok && (outcome.node.coreVersion !== undefined || outcome.node.lbWeight !== undefined)) {
      await tx.node.update({ where: { id: step.nodeId }, data: outcome.node });
    }
    await appendAuditEvent(tx, {
      kind: outcome.ok ? "step.succeeded" : "step.failed",
      planId: step.planId,
      nodeId: step.nodeId,
      data: { stepId: step.id, kind: step.kind, node: step.node.name, error: outcome.ok ? null : outcome.error },
    });
    await enqueueJob(tx, "plan-tick", { planId: step.planId }, { jobKey: `plan:${step.planId}` });
  });
}

/**
 * The job behind one step: bookmark, gate, agent call(s), outcome. Safe to run twice: it acts only
 * on a step that is still running, keeps the first bookmark captured for it, and every agent call
 * carries a request id derived from the step, so a retried job gets the agent's existing operation.
 */
export async function runPlanStep(stepId: string): Promise<void> {
  const step = await loadStep(stepId);
  if (!step || step.status !== "running") return;
  if (step.plan.status !== "running") {
    // Paused or ended between the click and now: hand the step back instead of acting on it.
    await db.planStep.updateMany({
      where: { id: step.id, status: "running" },
      data:
        step.mode === "activate"
          ? { status: "awaiting_activation", activatedById: null, activatedAt: null, startedAt: null }
          : { status: "pending", startedAt: null },
    });
    return;
  }
  await db.planStep.update({ where: { id: step.id }, data: { attempts: { increment: 1 }, startedAt: step.startedAt ?? new Date() } });
  try {
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
    const node = await performStep(step);
    await finishStep(step, { ok: true, node });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const gateFailures = error instanceof StepFailure ? error.gateFailures : [];
    if (!(error instanceof StepFailure) && !(error instanceof AppError) && !(error instanceof Error && error.name === "AgentCallError")) {
      console.error(`Step ${step.id} failed unexpectedly`, error);
    }
    await finishStep(step, { ok: false, error: message, gateFailures });
  }
}
