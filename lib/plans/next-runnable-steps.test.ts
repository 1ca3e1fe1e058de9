import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/app-error";
import { buildPlanSteps, type PlanNodeInput } from "./build-plan-steps";
import { nextRunnableSteps, type RunnableStep } from "./next-runnable-steps";
import type { PlanStrategy } from "./plan-strategy-schema";
import type { PlanStatus } from "./transition-plan";
import { transitionStep, type StepEvent, type StepStatus } from "./transition-step";

const T0 = new Date("2026-11-23T12:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function node(id: string, role: PlanNodeInput["role"] = "stable"): PlanNodeInput {
  return { id, name: `gw-${id}`, role, lbWeight: 100 };
}

/** A plan's steps as the runner stores them: ids like "a:drain", all pending. */
function plan(nodes: PlanNodeInput[], strategy: PlanStrategy) {
  const built = buildPlanSteps({ nodes, strategy });
  const steps: RunnableStep[] = built.steps.map((s) => ({
    id: `${s.nodeId}:${s.kind}`,
    wave: s.wave,
    nodeId: s.nodeId,
    seq: s.seq,
    kind: s.kind,
    status: "pending",
    finishedAt: null,
  }));
  return { waves: built.waves, steps };
}

/** Marks the listed steps with a status (and finish time for finished ones). */
function mark(steps: RunnableStep[], status: StepStatus, ids: string[], finishedAt: Date | null = null): RunnableStep[] {
  return steps.map((s) =>
    ids.includes(s.id) ? { ...s, status, finishedAt: status === "succeeded" || status === "failed" ? (finishedAt ?? T0) : null } : s,
  );
}

const kinds = ["drain", "upgrade", "doctor", "restart", "verify", "widen"];
const allOf = (...nodeIds: string[]) => nodeIds.flatMap((id) => kinds.map((k) => `${id}:${k}`));

// Two waves: a alone (hold 600 s), then b and c together (hold 60 s).
const twoWaves = plan([node("a"), node("b"), node("c")], {
  kind: "rolling_canary",
  stages: [
    { percent: 34, holdSeconds: 600 },
    { percent: 100, holdSeconds: 60 },
  ],
});

function next(status: PlanStatus, steps: RunnableStep[], now = T0) {
  return nextRunnableSteps({ planStatus: status, now, waves: twoWaves.waves, steps });
}

describe("nextRunnableSteps", () => {
  it("does nothing for plans that aren't running, and asks to start an approved one", () => {
    expect(next("draft", twoWaves.steps)).toEqual({ kind: "idle", reason: "plan_not_approved", stepIds: [] });
    expect(next("approved", twoWaves.steps)).toEqual({ kind: "start" });
    expect(next("paused", twoWaves.steps)).toEqual({ kind: "idle", reason: "plan_paused", stepIds: [] });
    expect(next("rolling_back", twoWaves.steps)).toEqual({ kind: "idle", reason: "plan_rolling_back", stepIds: [] });
    for (const status of ["completed", "aborted", "rolled_back"] as const)
      expect(next(status, twoWaves.steps)).toEqual({ kind: "idle", reason: "plan_finished", stepIds: [] });
  });

  it("starts with the first wave's drains only", () => {
    expect(next("running", twoWaves.steps)).toEqual({ kind: "run", stepIds: ["a:drain"] });
  });

  it("runs a node's steps strictly in order, and asks for the click at restart", () => {
    let steps = mark(twoWaves.steps, "running", ["a:drain"]);
    expect(next("running", steps)).toEqual({ kind: "idle", reason: "steps_in_flight", stepIds: ["a:drain"] });
    steps = mark(steps, "succeeded", ["a:drain"]);
    expect(next("running", steps)).toEqual({ kind: "run", stepIds: ["a:upgrade"] });
    steps = mark(steps, "succeeded", ["a:upgrade", "a:doctor"]);
    expect(next("running", steps)).toEqual({ kind: "await_activation", stepIds: ["a:restart"] });
    steps = mark(steps, "awaiting_activation", ["a:restart"]);
    expect(next("running", steps)).toEqual({ kind: "idle", reason: "awaiting_activation", stepIds: ["a:restart"] });
    steps = mark(steps, "succeeded", ["a:restart"]);
    expect(next("running", steps)).toEqual({ kind: "run", stepIds: ["a:verify"] });
    steps = mark(steps, "succeeded", ["a:verify"]);
    expect(next("running", steps)).toEqual({ kind: "await_activation", stepIds: ["a:widen"] });
  });

  it("holds the next wave until the hold has elapsed since the last widen finished", () => {
    const steps = mark(twoWaves.steps, "succeeded", allOf("a"), at(100));
    expect(next("running", steps, at(100))).toEqual({ kind: "wait", until: at(700), wave: 0 });
    expect(next("running", steps, at(699.999))).toEqual({ kind: "wait", until: at(700), wave: 0 });
    expect(next("running", steps, at(700))).toEqual({ kind: "run", stepIds: ["b:drain", "c:drain"] });
  });

  it("times the hold from the wave's latest widen", () => {
    let steps = mark(twoWaves.steps, "succeeded", allOf("a"), at(0));
    steps = mark(steps, "succeeded", allOf("b", "c"), at(700));
    steps = mark(steps, "succeeded", ["c:widen"], at(750));
    expect(next("running", steps, at(760))).toEqual({ kind: "wait", until: at(810), wave: 1 });
    expect(next("running", steps, at(810))).toEqual({ kind: "complete" });
  });

  it("moves nodes of a wave independently, preferring runs over new clicks", () => {
    let steps = mark(twoWaves.steps, "succeeded", allOf("a"), at(0));
    steps = mark(steps, "succeeded", ["b:drain", "b:upgrade", "b:doctor", "c:drain"]);
    expect(next("running", steps, at(600))).toEqual({ kind: "run", stepIds: ["c:upgrade"] });
    steps = mark(steps, "running", ["c:upgrade"]);
    expect(next("running", steps, at(600))).toEqual({ kind: "await_activation", stepIds: ["b:restart"] });
    steps = mark(steps, "awaiting_activation", ["b:restart"]);
    expect(next("running", steps, at(600))).toEqual({ kind: "idle", reason: "awaiting_activation", stepIds: ["b:restart"] });
  });

  it("halts on a failed step, even when other steps could run", () => {
    let steps = mark(twoWaves.steps, "succeeded", allOf("a"), at(0));
    steps = mark(steps, "failed", ["b:drain"]);
    expect(next("running", steps, at(600))).toEqual({ kind: "halted", reason: "step_failed", stepIds: ["b:drain"] });
    expect(next("running", mark(twoWaves.steps, "skipped", ["c:widen"]))).toEqual({
      kind: "halted",
      reason: "step_skipped",
      stepIds: ["c:widen"],
    });
    expect(next("running", [])).toEqual({ kind: "halted", reason: "no_steps", stepIds: [] });
  });

  it("never opens a wave past an unfinished one, even if a later wave looks finished", () => {
    const three = plan([node("a"), node("b"), node("c")], { kind: "rolling_one_by_one", holdSeconds: 0 });
    const steps = mark(three.steps, "succeeded", allOf("b"), at(0));
    expect(nextRunnableSteps({ planStatus: "running", now: at(10), waves: three.waves, steps })).toEqual({
      kind: "run",
      stepIds: ["a:drain"],
    });
  });

  it("reports the click it waits for before the steps in flight", () => {
    let steps = mark(twoWaves.steps, "succeeded", allOf("a"), at(0));
    steps = mark(steps, "succeeded", ["b:drain", "b:upgrade", "b:doctor", "c:drain"]);
    steps = mark(mark(steps, "awaiting_activation", ["b:restart"]), "running", ["c:upgrade"]);
    expect(next("running", steps, at(600))).toEqual({ kind: "idle", reason: "awaiting_activation", stepIds: ["b:restart"] });
  });

  it("doesn't depend on the input order", () => {
    const steps = mark(twoWaves.steps, "succeeded", allOf("a"), at(0));
    expect(next("running", [...steps].reverse(), at(600))).toEqual({ kind: "run", stepIds: ["b:drain", "c:drain"] });
  });

  it("refuses to time a hold without a finish time, and steps of unknown waves", () => {
    const noFinish = mark(twoWaves.steps, "succeeded", allOf("a")).map((s) => (s.id === "a:widen" ? { ...s, finishedAt: null } : s));
    expect(() => next("running", noFinish)).toThrow(AppError);
    expect(() => nextRunnableSteps({ planStatus: "running", now: T0, waves: [], steps: twoWaves.steps })).toThrow(/belongs to wave 0/);
  });
});

/** A tiny deterministic PRNG so fast-check shrinks on the seed. */
function prng(seed: number) {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const nodesArb = fc
  .array(fc.constantFrom("stable" as const, "canary" as const), { minLength: 1, maxLength: 12 })
  .map((roles) => roles.map((role, i) => node(`n${i}`, role)));
const strategyArb: fc.Arbitrary<PlanStrategy> = fc.oneof(
  fc.record({ kind: fc.constant("big_bang" as const), holdSeconds: fc.integer({ min: 0, max: 900 }) }),
  fc.record({ kind: fc.constant("rolling_one_by_one" as const), holdSeconds: fc.integer({ min: 0, max: 900 }) }),
  fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { maxLength: 4 }).map((percents) => ({
    kind: "rolling_canary" as const,
    stages: [...percents.sort((a, b) => a - b), 100].map((percent, i) => ({ percent, holdSeconds: (i * 137) % 900 })),
  })),
);

describe("nextRunnableSteps simulated runner", () => {
  it("drives any plan to completion, one node in order, wave after wave, holds respected", () => {
    fc.assert(
      fc.property(nodesArb, strategyArb, fc.integer(), (nodes, strategy, seed) => {
        const random = prng(seed);
        const { waves, steps: initial } = plan(nodes, strategy);
        const steps = new Map(initial.map((s) => [s.id, { ...s }]));
        const began: RunnableStep[] = [];
        let now = T0;
        let status: PlanStatus = "approved";

        const apply = (id: string, event: StepEvent) => {
          const step = steps.get(id)!;
          const result = transitionStep(step.status, event, step.kind === "restart" || step.kind === "widen" ? "activate" : "prepare");
          if (!result.ok) throw new Error(result.error.message);
          step.status = result.status;
          if (result.status === "succeeded") step.finishedAt = now;
          if (result.status === "running") began.push({ ...step });
        };
        // Randomly finishes or clicks some of what is in flight, as time passes.
        const progress = () => {
          now = new Date(now.getTime() + Math.floor(random() * 120_000));
          for (const step of steps.values()) {
            if (random() < 0.5) continue;
            if (step.status === "running") apply(step.id, "succeed");
            else if (step.status === "awaiting_activation") apply(step.id, "activate");
          }
        };

        for (let tick = 0; ; tick++) {
          expect(tick).toBeLessThan(5000);
          const action = nextRunnableSteps({ planStatus: status, now, waves, steps: [...steps.values()] });
          if (action.kind === "complete") break;
          if (action.kind === "start") status = "running";
          else if (action.kind === "run" || action.kind === "await_activation") {
            for (const id of action.stepIds) {
              const step = steps.get(id)!;
              // Its node's earlier steps, and every earlier wave, are done.
              for (const other of steps.values()) {
                if ((other.nodeId === step.nodeId && other.seq < step.seq) || other.wave < step.wave)
                  expect(other.status).toBe("succeeded");
              }
              const previous = waves[step.wave - 1];
              if (previous) {
                const lastWiden = Math.max(
                  ...[...steps.values()].filter((s) => s.wave === previous.index && s.kind === "widen").map((s) => s.finishedAt!.getTime()),
                );
                expect(now.getTime()).toBeGreaterThanOrEqual(lastWiden + previous.holdSeconds * 1000);
              }
              apply(id, action.kind === "run" ? "begin" : "step_ready");
            }
          } else if (action.kind === "wait") {
            expect(action.until.getTime()).toBeGreaterThan(now.getTime());
            now = action.until;
          } else if (action.kind === "idle") progress();
          else throw new Error(`unexpected ${JSON.stringify(action)}`);
        }

        expect([...steps.values()].every((s) => s.status === "succeeded")).toBe(true);
        expect(began).toHaveLength(nodes.length * 6);
        // The last wave's hold ran before completion.
        const last = waves.at(-1)!;
        const lastWiden = Math.max(
          ...[...steps.values()].filter((s) => s.wave === last.index && s.kind === "widen").map((s) => s.finishedAt!.getTime()),
        );
        expect(now.getTime()).toBeGreaterThanOrEqual(lastWiden + last.holdSeconds * 1000);
      }),
      { numRuns: 150 },
    );
  });
});
