import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeEvent, type DescribableEvent } from "./describe-event";

const bob = { actorEmail: "bob@ops.example", actorId: "user_bob" };
const runner = { actorEmail: null, actorId: null };

function event(kind: string, data: unknown, actor: { actorEmail: string | null; actorId: string | null } = runner): DescribableEvent {
  return { kind, data, ...actor };
}

describe("describeEvent", () => {
  it.each([
    [
      event(
        "plan.created",
        {
          title: "Roll out",
          from: "gw-1",
          to: "gw-2",
          strategy: "rolling_canary",
          nodes: ["a", "b"],
          waves: 2,
          approvalsRequired: 1,
          autoRollback: true,
        },
        bob,
      ),
      'bob@ops.example created plan "Roll out": gw-1 → gw-2, rolling canary, 2 nodes in 2 waves, 1 approval required, automatic rollback on',
    ],
    [event("plan.approval_given", { approvals: 1, required: 2 }, bob), "bob@ops.example approved the plan (1 of 2)"],
    [event("plan.approved", { approvals: 2 }, bob), "plan approved with 2 approvals, last approval by bob@ops.example"],
    [event("plan.started", {}), "Rollbook started the plan"],
    [event("plan.paused", { reason: "watching memory" }, bob), "bob@ops.example paused the plan: watching memory"],
    [event("plan.paused", { reason: "Guardrail tripped", automatic: true }), "Rollbook paused the plan automatically: Guardrail tripped"],
    [event("plan.resumed", { reason: null }, bob), "bob@ops.example resumed the plan"],
    [event("plan.aborted", { reason: "wrong release" }, bob), "bob@ops.example aborted the plan: wrong release"],
    [event("plan.completed", {}), "plan completed"],
    [
      event("plan.start_blocked", { reason: "Cannot start yet: gw-1 is unreachable." }),
      "plan could not start: Cannot start yet: gw-1 is unreachable.",
    ],
    [event("step.awaiting_activation", { kind: "restart", node: "node-01" }), "restart on node-01 awaits activation"],
    [
      event("step.activated", { kind: "restart", node: "node-01", targetWeight: null }, bob),
      "bob@ops.example activated restart on node-01",
    ],
    [
      event("step.activated", { kind: "widen", node: "node-01", targetWeight: 50 }, bob),
      "bob@ops.example activated widen on node-01 (target weight 50)",
    ],
    [event("step.succeeded", { kind: "drain", node: "node-01", error: null }), "drain on node-01 succeeded"],
    [
      event("step.failed", { kind: "doctor", node: "node-01", error: "Doctor failed: disk: 97% full" }),
      "doctor on node-01 failed: Doctor failed: disk: 97% full",
    ],
    [
      event("gate.passed", { gate: "verify", node: "node-01", nodes: ["node-01"], failures: [] }),
      "gate before verify passed for node-01 (1 node checked)",
    ],
    [
      event("gate.tripped", {
        gate: "widen",
        node: "node-02",
        failures: [
          { code: "guardrail", nodeName: "node-01", guardrail: "maxMemoryPercent", observed: 78.2, limit: 75, message: "…" },
          { code: "guardrail", nodeName: "node-02", guardrail: "minSuccessRate", observed: 0.91, limit: 0.99, message: "…" },
          { code: "guardrail", nodeName: "node-03", guardrail: "maxP95Ms", observed: null, limit: 800, message: "…" },
          { code: "unreachable", nodeName: "node-04", observed: null, message: "node-04 is unreachable: no readiness report." },
        ],
      }),
      "gate before widen tripped: node-01 memory 78.2% > 75%; node-02 success rate 0.91 < 0.99; node-03 p95 latency not observed (max 800 ms); node-04 is unreachable: no readiness report",
    ],
    [
      event("gate.tripped", {
        gate: "guardrail-watch",
        failures: [{ code: "guardrail", nodeName: "node-01", guardrail: "maxMemoryPercent", observed: 78.2, limit: 75 }],
      }),
      "guardrail watch tripped: node-01 memory 78.2% > 75%",
    ],
    [
      event("bookmark.captured", { label: "before plan start", scope: "plan", nodes: ["a", "b", "c"] }),
      'bookmark "before plan start" captured (plan scope, 3 nodes)',
    ],
    [
      event("bookmark.restore_requested", { label: "before plan start", automatic: true, reason: "Guardrail tripped" }),
      'Rollbook requested an automatic restore of bookmark "before plan start": Guardrail tripped',
    ],
    [
      event("bookmark.restore_requested", { label: "before restart on a", automatic: false }, bob),
      'bob@ops.example requested a restore of bookmark "before restart on a"',
    ],
    [
      event("bookmark.restored", { automatic: true, nodes: [{ name: "a", ok: true, error: null }] }),
      "bookmark restored on 1 of 1 node (automatic)",
    ],
    [
      event("bookmark.restore_failed", {
        automatic: false,
        nodes: [
          { name: "a", ok: true, error: null },
          { name: "b", ok: false, error: "timeout" },
        ],
      }),
      "bookmark restore failed: 1 of 2 nodes restored; failed on b (timeout)",
    ],
    [
      event("agent.call", { node: "node-01", action: "restart", durationMs: 38, repeated: false }),
      "restart sent to node-01 (accepted in 38 ms)",
    ],
    [
      event("agent.reply", { node: "node-01", action: "upgrade", status: "failed", durationMs: 48_538, error: "npm ERR! 404" }),
      "node-01 reports upgrade failed after 48 s: npm ERR! 404",
    ],
    [
      event("agent.call_failed", { node: "node-01", action: "drain", code: "timeout", message: "no answer in 10 s", durationMs: 10_004 }),
      "drain call to node-01 failed (timeout) after 10 s: no answer in 10 s",
    ],
    [event("auth.signed_in", { method: "password" }, bob), "bob@ops.example signed in (password)"],
    [event("auth.sign_in_failed", { email: "eve@example.test" }), "failed sign-in for eve@example.test"],
    [
      event("node.registered", { name: "gw-9", role: "canary", region: "eu-west-1" }, bob),
      "bob@ops.example registered node gw-9 (canary, eu-west-1)",
    ],
    [event("release.created", { name: "gw-2", replaces: "gw-1" }, bob), "bob@ops.example created release gw-2 (replaces gw-1)"],
    [
      event("auth.sign_in_throttled", { email: "eve@example.test", address: "203.0.113.9", scope: "account", retryAfterSeconds: 900 }),
      "sign-in refused for eve@example.test from 203.0.113.9: too many attempts (account locked)",
    ],
    [
      event("step.retried", { node: "node-01", kind: "upgrade", attempt: 2, reason: "registry flaked" }, bob),
      "bob@ops.example retried upgrade on node-01 as attempt 2: registry flaked",
    ],
    [
      event("step.handed_back", { node: "node-01", kind: "widen", planStatus: "paused" }),
      "widen on node-01 handed back: the plan was paused before it ran",
    ],
    [
      event("step.job_dropped", { node: "node-01", kind: "widen", planStatus: "aborted" }),
      "a stale job for widen on node-01 was dropped: the plan was already aborted",
    ],
    [
      event("agent.cancelled", { node: "node-01", action: "upgrade", status: "failed", reason: "Timed out" }),
      "upgrade on node-01 cancelled (failed): Timed out",
    ],
    [
      event("analysis.completed", { phase: "before_widen", wave: 0, decision: "fail", summary: "Fail (score 60): memory +1.9%/min" }),
      "canary analysis (before widen, wave 1): Fail (score 60): memory +1.9%/min",
    ],
    [
      event("analysis.accepted", { decision: "marginal", reason: "known batch job" }, bob),
      "bob@ops.example accepted the marginal canary analysis: known batch job",
    ],
    [
      event("worker.recovered", { hostname: "dash-a", pid: 41, jobs: [{ id: "1", task: "run-step", key: "step:x" }] }),
      "dashboard instance on dash-a (pid 41) stopped answering; 1 of its job(s) released to live instances",
    ],
  ])("describes %#: %s", (input, expected) => {
    expect(describeEvent(input)).toBe(expected);
  });

  it("falls back to kind, actor and node for kinds it does not know", () => {
    expect(describeEvent(event("test.event", { index: 1 }, bob))).toBe("test.event by bob@ops.example");
    expect(describeEvent(event("fleet.drifted", { node: "gw-3" }))).toBe("fleet.drifted on gw-3");
    expect(describeEvent(event("", null))).toBe("event");
    // Found by the property below: a blank kind must not flatten to an empty line.
    expect(describeEvent(event(" ", 0))).toBe("event");
  });

  it("degrades instead of throwing when data is missing or mistyped", () => {
    expect(describeEvent(event("step.activated", null, bob))).toBe("bob@ops.example activated step on a node");
    expect(describeEvent(event("gate.tripped", { failures: "lots" }))).toBe("gate tripped");
    expect(describeEvent(event("plan.created", ["not", "an", "object"], bob))).toBe('bob@ops.example created plan "untitled"');
    expect(describeEvent(event("plan.approval_given", { approvals: "1" }, { actorEmail: null, actorId: "user_x" }))).toBe(
      "user user_x approved the plan",
    );
  });

  it("keeps a description on one line and bounded", () => {
    const text = describeEvent(
      event("step.failed", { kind: "upgrade", node: "n", error: `line one\nline two\r\n\tindented ${"x".repeat(1_000)}` }),
    );
    expect(text).not.toMatch(/[\r\n\t]/);
    expect(text.startsWith("upgrade on n failed: line one line two indented x")).toBe(true);
    expect(text.length).toBeLessThanOrEqual(400);
    expect(text.endsWith("…")).toBe(true);
  });

  it("never throws and always returns one non-empty line, whatever the event holds", () => {
    const kinds = fc.oneof(
      fc.constantFrom("plan.created", "gate.tripped", "bookmark.restore_failed", "agent.reply", "step.failed", "node.registered"),
      fc.string(),
    );
    fc.assert(
      fc.property(kinds, fc.anything(), fc.option(fc.string()), (kind, data, actorEmail) => {
        const text = describeEvent({ kind, data, actorEmail });
        expect(text.length).toBeGreaterThan(0);
        expect(text).not.toMatch(/[\r\n]/);
      }),
    );
  });
});
