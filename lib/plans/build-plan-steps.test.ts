import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/app-error";
import { buildPlanSteps, type PlanNodeInput } from "./build-plan-steps";
import { planStepKinds } from "./plan-step-kinds";
import type { PlanStrategy } from "./plan-strategy-schema";

function fleet(count: number, canaries: number[] = []): PlanNodeInput[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `n${i}`,
    name: `gw-${i}`,
    role: canaries.includes(i) ? "canary" : "stable",
    lbWeight: 100,
  }));
}

const canary = (stages: [number, number][]): PlanStrategy => ({
  kind: "rolling_canary",
  stages: stages.map(([percent, holdSeconds]) => ({ percent, holdSeconds })),
});

describe("buildPlanSteps", () => {
  it("turns 1/10/50/100 of 12 nodes into 1, (dropped), 5 and 6 nodes, canaries first", () => {
    const { waves } = buildPlanSteps({
      nodes: fleet(12, [7, 3]),
      strategy: canary([
        [1, 600],
        [10, 300],
        [50, 120],
        [100, 0],
      ]),
    });
    expect(waves).toEqual([
      // 10% of 12 rounds down to 1 node, already covered: its hold is added to the first wave.
      { index: 0, nodeIds: ["n3"], holdSeconds: 900 },
      { index: 1, nodeIds: ["n7", "n0", "n1", "n2", "n4"], holdSeconds: 120 },
      { index: 2, nodeIds: ["n5", "n6", "n8", "n9", "n10", "n11"], holdSeconds: 0 },
    ]);
  });

  it("gives every stage at least one node", () => {
    const { waves } = buildPlanSteps({
      nodes: fleet(3),
      strategy: canary([
        [1, 10],
        [2, 20],
        [34, 30],
        [100, 40],
      ]),
    });
    expect(waves).toEqual([
      { index: 0, nodeIds: ["n0"], holdSeconds: 60 },
      { index: 1, nodeIds: ["n1", "n2"], holdSeconds: 40 },
    ]);
  });

  it("orders steps phase by phase inside a wave, with drain to 0 and widen back to the pre-plan weight", () => {
    const nodes: PlanNodeInput[] = [
      { id: "a", name: "gw-a", role: "stable", lbWeight: 80 },
      { id: "b", name: "gw-b", role: "stable", lbWeight: 20 },
    ];
    const { waves, steps } = buildPlanSteps({ nodes, strategy: { kind: "big_bang", holdSeconds: 0 } });
    expect(waves).toEqual([{ index: 0, nodeIds: ["a", "b"], holdSeconds: 0 }]);
    expect(steps.map((s) => [s.seq, s.nodeId, s.kind, s.mode, s.targetWeight])).toEqual([
      [0, "a", "drain", "prepare", 0],
      [1, "b", "drain", "prepare", 0],
      [2, "a", "upgrade", "prepare", null],
      [3, "b", "upgrade", "prepare", null],
      [4, "a", "doctor", "prepare", null],
      [5, "b", "doctor", "prepare", null],
      [6, "a", "restart", "activate", null],
      [7, "b", "restart", "activate", null],
      [8, "a", "verify", "prepare", null],
      [9, "b", "verify", "prepare", null],
      [10, "a", "widen", "activate", 80],
      [11, "b", "widen", "activate", 20],
    ]);
  });

  it("widens to a stage's target weight when one is given", () => {
    const { steps } = buildPlanSteps({
      nodes: fleet(2),
      strategy: {
        kind: "rolling_canary",
        stages: [
          { percent: 50, holdSeconds: 0, targetWeight: 10 },
          { percent: 100, holdSeconds: 0 },
        ],
      },
    });
    expect(steps.filter((s) => s.kind === "widen").map((s) => [s.nodeId, s.targetWeight])).toEqual([
      ["n0", 10],
      ["n1", 100],
    ]);
  });

  it("puts one node per wave for one-by-one, each with the strategy's hold", () => {
    const { waves, steps } = buildPlanSteps({ nodes: fleet(3, [2]), strategy: { kind: "rolling_one_by_one", holdSeconds: 45 } });
    expect(waves).toEqual([
      { index: 0, nodeIds: ["n2"], holdSeconds: 45 },
      { index: 1, nodeIds: ["n0"], holdSeconds: 45 },
      { index: 2, nodeIds: ["n1"], holdSeconds: 45 },
    ]);
    expect(steps.slice(0, 7).map((s) => `${s.wave}:${s.nodeId}:${s.kind}`)).toEqual([
      "0:n2:drain",
      "0:n2:upgrade",
      "0:n2:doctor",
      "0:n2:restart",
      "0:n2:verify",
      "0:n2:widen",
      "1:n0:drain",
    ]);
  });

  it("refuses witnesses, duplicates, bad weights, no nodes and an invalid strategy", () => {
    const bigBang: PlanStrategy = { kind: "big_bang", holdSeconds: 0 };
    const refusal = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error instanceof AppError ? [error.code, error.message] : error;
      }
      return "no error";
    };
    expect(
      refusal(() => buildPlanSteps({ nodes: [{ id: "w", name: "gw-w", role: "witness", lbWeight: 100 }], strategy: bigBang })),
    ).toEqual(["invalid_input", "Node gw-w is a witness; witnesses never change release."]);
    expect(refusal(() => buildPlanSteps({ nodes: [...fleet(2), ...fleet(1)], strategy: bigBang }))).toEqual([
      "invalid_input",
      "Node gw-0 is in the plan twice.",
    ]);
    expect(refusal(() => buildPlanSteps({ nodes: [{ id: "a", name: "gw-a", role: "stable", lbWeight: 101 }], strategy: bigBang }))).toEqual(
      ["invalid_input", "Node gw-a has LB weight 101; expected 0..100."],
    );
    expect(refusal(() => buildPlanSteps({ nodes: [], strategy: bigBang }))).toEqual(["invalid_input", "A plan needs at least one node."]);
    expect(refusal(() => buildPlanSteps({ nodes: fleet(2), strategy: canary([[50, 0]]) }))).toEqual([
      "invalid_input",
      "The plan's strategy is not valid.",
    ]);
  });
});

const nodesArb = fc
  .array(fc.record({ role: fc.constantFrom("stable" as const, "canary" as const), lbWeight: fc.integer({ min: 0, max: 100 }) }), {
    minLength: 1,
    maxLength: 40,
  })
  .map((list) => list.map((node, i) => ({ ...node, id: `n${i}`, name: `gw-${i}` })));

const strategyArb: fc.Arbitrary<PlanStrategy> = fc.oneof(
  fc.record({ kind: fc.constant("big_bang" as const), holdSeconds: fc.integer({ min: 0, max: 86_400 }) }),
  fc.record({ kind: fc.constant("rolling_one_by_one" as const), holdSeconds: fc.integer({ min: 0, max: 86_400 }) }),
  fc
    .tuple(
      fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { maxLength: 9 }),
      fc.array(fc.integer({ min: 0, max: 86_400 }), { minLength: 10, maxLength: 10 }),
    )
    .map(([percents, holds]) => ({
      kind: "rolling_canary" as const,
      stages: [...percents.sort((a, b) => a - b), 100].map((percent, i) => ({ percent, holdSeconds: holds[i] ?? 0 })),
    })),
);

describe("buildPlanSteps properties", () => {
  it("gives every node exactly the six steps once, in order, with strictly increasing seq", () => {
    fc.assert(
      fc.property(nodesArb, strategyArb, (nodes, strategy) => {
        const { steps } = buildPlanSteps({ nodes, strategy });
        expect(steps.map((s) => s.seq)).toEqual(steps.map((_, i) => i));
        for (const node of nodes) expect(steps.filter((s) => s.nodeId === node.id).map((s) => s.kind)).toEqual([...planStepKinds]);
        expect(steps).toHaveLength(nodes.length * 6);
      }),
    );
  });

  it("partitions the nodes into non-empty waves that steps follow in order", () => {
    fc.assert(
      fc.property(nodesArb, strategyArb, (nodes, strategy) => {
        const { waves, steps } = buildPlanSteps({ nodes, strategy });
        expect(waves.map((w) => w.index)).toEqual(waves.map((_, i) => i));
        for (const wave of waves) expect(wave.nodeIds.length).toBeGreaterThan(0);
        const all = waves.flatMap((w) => w.nodeIds);
        expect([...all].sort()).toEqual(nodes.map((n) => n.id).sort());
        for (const step of steps) expect(waves[step.wave]?.nodeIds).toContain(step.nodeId);
        expect(steps.map((s) => s.wave)).toEqual([...steps.map((s) => s.wave)].sort((a, b) => a - b));
        if (strategy.kind === "big_bang") expect(waves).toHaveLength(1);
        if (strategy.kind === "rolling_one_by_one") expect(waves).toHaveLength(nodes.length);
      }),
    );
  });

  it("sends canaries first, and grows canary waves to each stage's rounded-down share", () => {
    fc.assert(
      fc.property(nodesArb, strategyArb, (nodes, strategy) => {
        const { waves } = buildPlanSteps({ nodes, strategy });
        const roles = waves.flatMap((w) => w.nodeIds).map((id) => nodes.find((n) => n.id === id)?.role);
        const firstStable = roles.indexOf("stable");
        if (firstStable >= 0) expect(roles.slice(firstStable)).not.toContain("canary");
        if (strategy.kind !== "rolling_canary") return;
        const cumulative = waves.map((_, i) => waves.slice(0, i + 1).reduce((sum, w) => sum + w.nodeIds.length, 0));
        const shares = [...new Set(strategy.stages.map((s) => Math.max(1, Math.floor((s.percent * nodes.length) / 100))))];
        expect(cumulative).toEqual(shares);
        // Holds are never lost: dropped stages add theirs to the wave that covers them.
        expect(waves.reduce((sum, w) => sum + w.holdSeconds, 0)).toBe(strategy.stages.reduce((sum, s) => sum + s.holdSeconds, 0));
      }),
    );
  });

  it("drains to 0 and widens back to the node's own weight", () => {
    fc.assert(
      fc.property(nodesArb, strategyArb, (nodes, strategy) => {
        const { steps } = buildPlanSteps({ nodes, strategy });
        for (const step of steps) {
          const weight = nodes.find((n) => n.id === step.nodeId)?.lbWeight;
          expect(step.targetWeight).toBe(step.kind === "drain" ? 0 : step.kind === "widen" ? weight : null);
        }
      }),
    );
  });
});
