import { describe, expect, it } from "vitest";
import { analysisConfigSchema } from "@/lib/analysis";
import { planDraftSchema } from "./plan-draft-schema";

const valid = {
  title: "  Upgrade eu-west to 2026.11.2 ",
  fromReleaseId: "rel_a",
  toReleaseId: "rel_b",
  nodeIds: ["n1", "n2", "n3"],
  strategy: {
    kind: "rolling_canary",
    stages: [
      { percent: 10, holdSeconds: 300 },
      { percent: 100, holdSeconds: 0 },
    ],
  },
  approvalsRequired: 2,
  autoRollback: true,
};

function issues(value: unknown) {
  const result = planDraftSchema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

describe("planDraftSchema", () => {
  it("parses a draft, trimming the title, defaulting guardrails and step timeouts to none and the analysis to the field notes'", () => {
    const { analysis, ...rest } = planDraftSchema.parse(valid);
    expect(rest).toEqual({ ...valid, title: "Upgrade eu-west to 2026.11.2", guardrails: {}, stepTimeouts: {} });
    expect(analysis).toEqual(analysisConfigSchema.parse({}));
    expect(analysis.thresholds).toEqual({ pass: 95, marginal: 75 });
  });

  it("requires a different target release, reported on toReleaseId", () => {
    expect(issues({ ...valid, toReleaseId: "rel_a" })).toEqual([
      { path: "toReleaseId", message: "Choose a release different from the one the nodes run now" },
    ]);
  });

  it("requires at least one node, each once", () => {
    expect(issues({ ...valid, nodeIds: [] })).toEqual([{ path: "nodeIds", message: "Choose at least one node" }]);
    expect(issues({ ...valid, nodeIds: ["n1", "n2", "n1"] })).toEqual([
      { path: "nodeIds", message: "Each node can be in the plan only once" },
    ]);
    expect(issues({ ...valid, nodeIds: ["n1", " "] })).toEqual([{ path: "nodeIds.1", message: "Choose a node" }]);
  });

  it("bounds approvals to 1..5 and requires the rollback choice", () => {
    expect(issues({ ...valid, approvalsRequired: 0 })).toEqual([
      { path: "approvalsRequired", message: "At least one approval is required" },
    ]);
    expect(issues({ ...valid, approvalsRequired: 6 })).toEqual([
      { path: "approvalsRequired", message: "At most 5 approvals can be required" },
    ]);
    expect(issues({ ...valid, autoRollback: "true" })).toEqual([
      { path: "autoRollback", message: "Choose whether to roll back automatically" },
    ]);
  });

  it("gives every missing field its own message", () => {
    expect(issues({})).toEqual([
      { path: "title", message: "Enter a title" },
      { path: "fromReleaseId", message: "Choose the release the nodes run now" },
      { path: "toReleaseId", message: "Choose the release to upgrade to" },
      { path: "nodeIds", message: "Choose at least one node" },
      { path: "strategy", message: "Choose a strategy: rolling_canary, rolling_one_by_one or big_bang" },
      { path: "approvalsRequired", message: "Enter how many approvals are required (1..5)" },
      { path: "autoRollback", message: "Choose whether to roll back automatically" },
    ]);
    expect(issues({ ...valid, title: "   " })).toEqual([{ path: "title", message: "Enter a title" }]);
  });

  it("passes nested strategy and guardrail errors through with their paths", () => {
    expect(
      issues({
        ...valid,
        strategy: { kind: "rolling_canary", stages: [{ percent: 50, holdSeconds: 0 }] },
        guardrails: { minSuccessRate: 2 },
      }),
    ).toEqual([
      { path: "strategy.stages.0.percent", message: "The last stage must cover 100% of the nodes" },
      { path: "guardrails.minSuccessRate", message: "The success rate floor is 0..1" },
    ]);
  });
});
