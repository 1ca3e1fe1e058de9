import { describe, expect, it } from "vitest";
import { planStrategySchema } from "./plan-strategy-schema";

function issues(value: unknown) {
  const result = planStrategySchema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

const stage = (percent: number, holdSeconds = 0) => ({ percent, holdSeconds });

describe("planStrategySchema", () => {
  it("accepts a canary with increasing stages ending at 100", () => {
    expect(
      planStrategySchema.parse({
        kind: "rolling_canary",
        stages: [stage(1, 600), stage(10, 600), { percent: 50, holdSeconds: 0, targetWeight: 50 }, stage(100)],
      }),
    ).toEqual({
      kind: "rolling_canary",
      stages: [stage(1, 600), stage(10, 600), { percent: 50, holdSeconds: 0, targetWeight: 50 }, stage(100)],
    });
  });

  it("defaults the hold of one-by-one and big bang to 0", () => {
    expect(planStrategySchema.parse({ kind: "rolling_one_by_one" })).toEqual({ kind: "rolling_one_by_one", holdSeconds: 0 });
    expect(planStrategySchema.parse({ kind: "big_bang", holdSeconds: 30 })).toEqual({ kind: "big_bang", holdSeconds: 30 });
  });

  it("refuses stages that don't strictly increase, pointing at the offending stage", () => {
    expect(issues({ kind: "rolling_canary", stages: [stage(10), stage(10), stage(5), stage(100)] })).toEqual([
      { path: "stages.1.percent", message: "Stage 2 must cover more than stage 1 (10%)" },
      { path: "stages.2.percent", message: "Stage 3 must cover more than stage 2 (10%)" },
    ]);
  });

  it("refuses a canary that stops short of 100%", () => {
    expect(issues({ kind: "rolling_canary", stages: [stage(1), stage(50)] })).toEqual([
      { path: "stages.1.percent", message: "The last stage must cover 100% of the nodes" },
    ]);
  });

  it("bounds percent, hold and stage count", () => {
    expect(issues({ kind: "rolling_canary", stages: [stage(0), stage(100)] })).toEqual([
      { path: "stages.0.percent", message: "A stage covers 1..100 percent of the plan's nodes" },
    ]);
    expect(issues({ kind: "rolling_canary", stages: [stage(100, 86_401)] })).toEqual([
      { path: "stages.0.holdSeconds", message: "Hold at most 86400 seconds (a day); pause the plan for longer bakes" },
    ]);
    expect(issues({ kind: "rolling_canary", stages: [stage(100, -1)] })).toEqual([
      { path: "stages.0.holdSeconds", message: "The hold time can't be negative" },
    ]);
    expect(issues({ kind: "rolling_canary", stages: [stage(100, 1.5)] })).toEqual([
      { path: "stages.0.holdSeconds", message: "Enter the hold time in whole seconds" },
    ]);
    const eleven = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100].map((p) => stage(p));
    expect(issues({ kind: "rolling_canary", stages: eleven })).toEqual([{ path: "stages", message: "Use at most 10 stages" }]);
    expect(issues({ kind: "rolling_canary", stages: eleven.slice(1) })).toEqual([]);
    expect(issues({ kind: "rolling_canary", stages: [] })).toEqual([{ path: "stages", message: "Add at least one stage" }]);
  });

  it("bounds the target weight", () => {
    expect(issues({ kind: "big_bang", targetWeight: 101 })).toEqual([{ path: "targetWeight", message: "The target LB weight is 0..100" }]);
    expect(issues({ kind: "big_bang", targetWeight: 0 })).toEqual([]);
  });

  it("names the valid kinds for an unknown one and refuses unknown keys", () => {
    expect(issues({ kind: "blue_green" })).toEqual([
      { path: "kind", message: "Choose a strategy: rolling_canary, rolling_one_by_one or big_bang" },
    ]);
    expect(issues({ kind: "big_bang", hold: 30 })).toHaveLength(1);
  });
});
