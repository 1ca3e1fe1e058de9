import { describe, expect, it } from "vitest";
import { planDraftSchema } from "./plan-draft-schema";
import { planFormToDraft } from "./plan-form-to-draft";

function form(entries: [string, string][]) {
  const data = new FormData();
  for (const [key, value] of entries) data.append(key, value);
  return data;
}

describe("planFormToDraft", () => {
  it("builds a canary draft the schema accepts from the builder's fields", () => {
    const draft = planFormToDraft(
      form([
        ["title", " Upgrade "],
        ["fromReleaseId", "r1"],
        ["toReleaseId", "r2"],
        ["nodeIds", "n1"],
        ["nodeIds", "n2"],
        ["strategyKind", "rolling_canary"],
        ["canaryStages", "1%, 10% → 50 100"],
        ["holdSeconds", "30"],
        ["maxMemoryPercent", "75"],
        ["maxQueueDepth", ""],
        ["approvalsRequired", "2"],
        ["autoRollback", "on"],
        ["freshBaseline", "on"],
        ["stepTimeout_upgrade", "1800"],
        ["stepTimeout_drain", ""],
      ]),
    );
    expect(planDraftSchema.parse(draft)).toMatchObject({
      stepTimeouts: { upgrade: 1800 },
      title: "Upgrade",
      nodeIds: ["n1", "n2"],
      strategy: { kind: "rolling_canary", stages: [{ percent: 1, holdSeconds: 30 }, { percent: 10 }, { percent: 50 }, { percent: 100 }] },
      guardrails: { maxMemoryPercent: 75 },
      approvalsRequired: 2,
      autoRollback: true,
      analysis: { freshBaseline: true },
    });
  });

  it("leaves rule checking to the schema: bad stages are reported on their field", () => {
    const draft = planFormToDraft(
      form([
        ["title", "x"],
        ["fromReleaseId", "a"],
        ["toReleaseId", "b"],
        ["nodeIds", "n"],
        ["strategyKind", "rolling_canary"],
        ["canaryStages", "50, 10"],
      ]),
    );
    const result = planDraftSchema.safeParse(draft);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toContain("strategy.stages.1.percent");
    expect(draft.autoRollback).toBe(false);
    expect(planDraftSchema.parse({ ...draft, strategy: { kind: "big_bang" } }).analysis.freshBaseline).toBe(false);
  });

  it("reports a step timeout out of bounds on its own field", () => {
    const draft = planFormToDraft(
      form([
        ["title", "x"],
        ["fromReleaseId", "a"],
        ["toReleaseId", "b"],
        ["nodeIds", "n"],
        ["strategyKind", "big_bang"],
        ["stepTimeout_verify", "3"],
      ]),
    );
    const result = planDraftSchema.safeParse(draft);
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual(["stepTimeouts.verify"]);
  });
});
