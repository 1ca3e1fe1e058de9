import { describe, expect, it } from "vitest";
import { planGuardrailsSchema } from "./plan-guardrails-schema";

function issues(value: unknown) {
  const result = planGuardrailsSchema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

describe("planGuardrailsSchema", () => {
  it("accepts nothing at all and every limit at its bounds", () => {
    expect(planGuardrailsSchema.parse({})).toEqual({});
    const all = {
      maxMemoryPercent: 100,
      maxQueueDepth: 0,
      maxP95Ms: 0.5,
      minSuccessRate: 1,
    };
    expect(planGuardrailsSchema.parse(all)).toEqual(all);
  });

  it("refuses out-of-range limits with the field's message", () => {
    expect(issues({ maxMemoryPercent: 0 })).toEqual([{ path: "maxMemoryPercent", message: "The memory limit is 1..100 %" }]);
    expect(issues({ maxMemoryPercent: 100.5 })).toEqual([{ path: "maxMemoryPercent", message: "The memory limit is 1..100 %" }]);
    expect(issues({ maxQueueDepth: -1 })).toEqual([{ path: "maxQueueDepth", message: "The queue depth limit can't be negative" }]);
    expect(issues({ maxQueueDepth: 2.5 })).toEqual([{ path: "maxQueueDepth", message: "Enter the queue depth limit as a whole number" }]);
    expect(issues({ maxP95Ms: 0 })).toEqual([{ path: "maxP95Ms", message: "The p95 latency limit must be above 0 ms" }]);
    expect(issues({ minSuccessRate: 1.01 })).toEqual([{ path: "minSuccessRate", message: "The success rate floor is 0..1" }]);
  });

  // The canary analysis judges these two against the baseline and the capability checks.
  it("accepts the token spend and eval score guardrails, bounded", () => {
    expect(issues({ maxMemoryPercent: 80, maxTokenSpendDeltaPercent: 15, minEvalScore: 0.9 })).toEqual([]);
    expect(issues({ maxTokenSpendDeltaPercent: -10 })).toEqual([
      { path: "maxTokenSpendDeltaPercent", message: "The token spend delta limit is 0..1000 %" },
    ]);
    expect(issues({ minEvalScore: 1.2 })).toEqual([{ path: "minEvalScore", message: "The eval score floor is 0..1" }]);
  });

  it("refuses a misspelt key instead of guarding nothing", () => {
    expect(issues({ maxP95: 300 })).toEqual([{ path: "", message: 'Unrecognized key: "maxP95"' }]);
  });
});
