import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/app-error";
import { evaluateWidenGate, type GateNode, type GateReadiness } from "./evaluate-widen-gate";
import type { PlanGuardrails } from "./plan-guardrails-schema";

const NOW = new Date("2026-11-23T12:00:00Z");
const GOOD = "a".repeat(64);
const ODD = "b".repeat(64);
const THIRD = "c".repeat(64);

function readiness(overrides: Partial<GateReadiness> = {}): GateReadiness {
  return { fetchedAt: new Date(NOW.getTime() - 5_000), core: "2026.11.2", probeSha256: GOOD, ready: true, reasons: [], ...overrides };
}

function gateNode(name: string, r: GateReadiness | null = readiness(), metrics: GateNode["metrics"] = null): GateNode {
  return { nodeId: `id-${name}`, name, readiness: r, metrics };
}

function gate(nodes: GateNode[], guardrails: PlanGuardrails = {}) {
  return evaluateWidenGate({ targetCoreVersion: "2026.11.2", now: NOW, freshnessMs: 60_000, nodes, guardrails });
}

describe("evaluateWidenGate", () => {
  it("passes fresh, ready, agreeing nodes on the target version", () => {
    expect(gate([gateNode("gw-1"), gateNode("gw-2"), gateNode("gw-3")])).toEqual({ pass: true, failures: [] });
  });

  it("reports the nodes whose probe differs from the majority", () => {
    expect(gate([gateNode("gw-1"), gateNode("gw-2", readiness({ probeSha256: ODD })), gateNode("gw-3")])).toEqual({
      pass: false,
      failures: [
        {
          code: "probe_mismatch",
          nodeId: "id-gw-2",
          nodeName: "gw-2",
          message: "gw-2's ready probe bbbbbbbbbbbb differs from aaaaaaaaaaaa, shared by 2 of 3 upgraded nodes.",
          observed: ODD,
          limit: GOOD,
        },
      ],
    });
  });

  it("compares nothing with a single upgraded node", () => {
    expect(gate([gateNode("gw-1", readiness({ probeSha256: ODD }))])).toEqual({ pass: true, failures: [] });
  });

  it("reports every node when no probe has a strict majority", () => {
    const result = gate([gateNode("gw-1"), gateNode("gw-2", readiness({ probeSha256: ODD }))]);
    expect(result.pass).toBe(false);
    expect(result.failures.map((f) => [f.code, f.nodeName, f.message])).toEqual([
      ["probe_mismatch", "gw-1", "gw-1's ready probe aaaaaaaaaaaa has no majority: 2 upgraded nodes report 2 different probes."],
      ["probe_mismatch", "gw-2", "gw-2's ready probe bbbbbbbbbbbb has no majority: 2 upgraded nodes report 2 different probes."],
    ]);
  });

  it("leaves wrong-version nodes out of the probe vote so they can't outvote the good one", () => {
    const wrong = readiness({ core: "2026.10.0", probeSha256: ODD });
    expect(gate([gateNode("gw-1"), gateNode("gw-2", wrong), gateNode("gw-3", wrong)]).failures).toEqual([
      {
        code: "version_mismatch",
        nodeId: "id-gw-2",
        nodeName: "gw-2",
        message: "gw-2 runs core 2026.10.0, not 2026.11.2.",
        observed: "2026.10.0",
        limit: "2026.11.2",
      },
      {
        code: "version_mismatch",
        nodeId: "id-gw-3",
        nodeName: "gw-3",
        message: "gw-3 runs core 2026.10.0, not 2026.11.2.",
        observed: "2026.10.0",
        limit: "2026.11.2",
      },
    ]);
    expect(gate([gateNode("gw-1", readiness({ core: null }))]).failures).toEqual([
      {
        code: "version_mismatch",
        nodeId: "id-gw-1",
        nodeName: "gw-1",
        message: "gw-1 runs core (none), not 2026.11.2.",
        observed: null,
        limit: "2026.11.2",
      },
    ]);
  });

  it("reports a node that isn't ready with its reasons", () => {
    const r = readiness({
      ready: false,
      reasons: [
        { code: "doctor_failed", message: "doctor check plugins failed" },
        { code: "queue_backlog", message: "412 jobs queued" },
      ],
    });
    expect(gate([gateNode("gw-1", r)])).toEqual({
      pass: false,
      failures: [
        {
          code: "not_ready",
          nodeId: "id-gw-1",
          nodeName: "gw-1",
          message: "gw-1 is not ready: doctor check plugins failed; 412 jobs queued",
          observed: "doctor_failed, queue_backlog",
        },
      ],
    });
  });

  it("never passes on stale, future-dated or missing readiness, and judges a stale report on its age alone", () => {
    const stale = readiness({ fetchedAt: new Date(NOW.getTime() - 95_000), ready: false, core: "1.0.0", probeSha256: ODD });
    expect(gate([gateNode("gw-1"), gateNode("gw-2", stale), gateNode("gw-3", null)]).failures).toEqual([
      {
        code: "stale",
        nodeId: "id-gw-2",
        nodeName: "gw-2",
        message: "gw-2's readiness is 95 s old; the limit is 60 s.",
        observed: 95_000,
        limit: 60_000,
      },
      { code: "unreachable", nodeId: "id-gw-3", nodeName: "gw-3", message: "gw-3 is unreachable: no readiness report.", observed: null },
    ]);
    expect(
      gate([gateNode("gw-1", readiness({ fetchedAt: new Date(NOW.getTime() + 1) }))]).failures.map((f) => [f.code, f.observed]),
    ).toEqual([["stale", -1]]);
    // Exactly at the window is still fresh.
    expect(gate([gateNode("gw-1", readiness({ fetchedAt: new Date(NOW.getTime() - 60_000) }))]).pass).toBe(true);
  });

  it("reports one failure per violated guardrail with observed value and limit; limits are inclusive", () => {
    const guardrails: PlanGuardrails = {
      maxMemoryPercent: 80,
      maxQueueDepth: 10,
      maxP95Ms: 800,
      minSuccessRate: 0.99,
      maxTokenSpendDeltaPercent: 15,
      minEvalScore: 0.9,
    };
    const atLimits = { memoryPercent: 80, queueDepth: 10, p95Ms: 800, successRate: 0.99 };
    expect(gate([gateNode("gw-1", readiness(), atLimits)], guardrails)).toEqual({ pass: true, failures: [] });

    // Token spend and eval score are relative or capability-based: the canary analysis judges them, not this gate.
    const bad = { memoryPercent: 91.5, queueDepth: 10, p95Ms: 1200, successRate: 0.97 };
    expect(gate([gateNode("gw-1", readiness(), bad)], guardrails).failures).toEqual([
      {
        code: "guardrail",
        nodeId: "id-gw-1",
        nodeName: "gw-1",
        guardrail: "maxMemoryPercent",
        observed: 91.5,
        limit: 80,
        message: "gw-1's memory is 91.5%, above the maximum of 80%.",
      },
      {
        code: "guardrail",
        nodeId: "id-gw-1",
        nodeName: "gw-1",
        guardrail: "maxP95Ms",
        observed: 1200,
        limit: 800,
        message: "gw-1's p95 latency is 1200 ms, above the maximum of 800 ms.",
      },
      {
        code: "guardrail",
        nodeId: "id-gw-1",
        nodeName: "gw-1",
        guardrail: "minSuccessRate",
        observed: 0.97,
        limit: 0.99,
        message: "gw-1's success rate is 0.97, below the minimum of 0.99.",
      },
    ]);
  });

  it("fails a configured guardrail with no observation, and ignores metrics nobody guards", () => {
    expect(gate([gateNode("gw-1", readiness(), { memoryPercent: 99, p95Ms: null })], { maxP95Ms: 500 }).failures).toEqual([
      {
        code: "guardrail",
        nodeId: "id-gw-1",
        nodeName: "gw-1",
        guardrail: "maxP95Ms",
        observed: null,
        limit: 500,
        message: "gw-1 has no p95 latency observation to check against max 500 ms.",
      },
    ]);
    expect(gate([gateNode("gw-1", readiness(), null)], { minSuccessRate: 0.5 }).failures.map((f) => f.guardrail)).toEqual([
      "minSuccessRate",
    ]);
    expect(gate([gateNode("gw-1", readiness(), null)], { minEvalScore: 0.5, maxTokenSpendDeltaPercent: 15 })).toEqual({
      pass: true,
      failures: [],
    });
    expect(gate([gateNode("gw-1", readiness(), { queueDepth: 1e9 })])).toEqual({ pass: true, failures: [] });
  });

  it("orders failures per node, then probe mismatches", () => {
    const result = gate(
      [
        gateNode("gw-1", null),
        gateNode("gw-2", readiness({ probeSha256: THIRD, ready: false }), { queueDepth: 50 }),
        gateNode("gw-3", readiness(), { queueDepth: 0 }),
        gateNode("gw-4", readiness(), { queueDepth: 5 }),
      ],
      { maxQueueDepth: 5 },
    );
    expect(result.failures.map((f) => `${f.code}:${f.nodeName}`)).toEqual([
      "unreachable:gw-1",
      "guardrail:gw-1",
      "not_ready:gw-2",
      "guardrail:gw-2",
      "probe_mismatch:gw-2",
    ]);
  });

  it("passes vacuously with nothing upgraded, and refuses bad windows or duplicate nodes", () => {
    expect(gate([])).toEqual({ pass: true, failures: [] });
    expect(() => evaluateWidenGate({ targetCoreVersion: "1.0.0", now: NOW, freshnessMs: 0, nodes: [], guardrails: {} })).toThrow(AppError);
    expect(() => gate([gateNode("gw-1"), gateNode("gw-1")])).toThrow(AppError);
  });
});

describe("evaluateWidenGate properties", () => {
  const nodeArb = fc.record({
    reachable: fc.boolean(),
    ageMs: fc.integer({ min: 0, max: 120_000 }),
    onTarget: fc.boolean(),
    probe: fc.constantFrom(GOOD, ODD, THIRD),
    ready: fc.boolean(),
    p95Ms: fc.option(fc.integer({ min: 1, max: 2000 }), { nil: undefined }),
  });

  it("passes exactly when every node is reachable, fresh, on target, ready, within guardrails and agreeing", () => {
    fc.assert(
      fc.property(
        fc.array(nodeArb, { maxLength: 8 }),
        fc.option(fc.integer({ min: 1, max: 2000 }), { nil: undefined }),
        (specs, maxP95Ms) => {
          const nodes = specs.map((s, i) =>
            gateNode(
              `gw-${i}`,
              s.reachable
                ? readiness({
                    fetchedAt: new Date(NOW.getTime() - s.ageMs),
                    core: s.onTarget ? "2026.11.2" : "2026.10.0",
                    probeSha256: s.probe,
                    ready: s.ready,
                  })
                : null,
              { p95Ms: s.p95Ms },
            ),
          );
          const result = gate(nodes, maxP95Ms === undefined ? {} : { maxP95Ms });
          const healthy = specs.every(
            (s) =>
              s.reachable &&
              s.ageMs <= 60_000 &&
              s.onTarget &&
              s.ready &&
              (maxP95Ms === undefined || (s.p95Ms !== undefined && s.p95Ms <= maxP95Ms)),
          );
          const agreeing = new Set(specs.map((s) => s.probe)).size <= 1;
          expect(result.pass).toBe(healthy && agreeing);
          expect(result.pass).toBe(result.failures.length === 0);
          // A node that is unreachable or stale is never reported as anything else from its readiness.
          for (const [i, s] of specs.entries()) {
            const own = result.failures.filter((f) => f.nodeName === `gw-${i}` && f.code !== "guardrail").map((f) => f.code);
            if (!s.reachable) expect(own).toEqual(["unreachable"]);
            else if (s.ageMs > 60_000) expect(own).toEqual(["stale"]);
          }
        },
      ),
    );
  });
});
