import { describe, expect, it } from "vitest";
import { ANALYSIS_METRIC_KEYS, ANALYSIS_METRICS, type AnalysisMetricKey } from "./analysis-metrics";
import type { LimitCheck } from "./check-safety-limit";
import type { MetricJudgement, MetricVerdict } from "./judge-metric";
import type { TrendResult } from "./project-trend-crossing";
import { scoreAnalysis, type ScoreAnalysisInput } from "./score-analysis";

const THRESHOLDS = { pass: 95, marginal: 75 };

function judgement(key: AnalysisMetricKey, verdict: MetricVerdict, mustHaveData = ANALYSIS_METRICS[key].mustHaveData): MetricJudgement {
  const summary = { n: 20, median: 1, center: 1 };
  return {
    key,
    verdict,
    canary: summary,
    baseline: summary,
    tolerance: ANALYSIS_METRICS[key].tolerance,
    effect: 0,
    badChange: 0,
    pValue: 0.5,
    u: 200,
    allowed: 0.1,
    critical: 0.2,
    mustHaveData,
    reasons: [`${key} ${verdict}`],
  };
}

/** Every metric passes except the ones given. */
function judgements(
  overrides: Partial<Record<AnalysisMetricKey, MetricVerdict>> = {},
  mustHaveData: Partial<Record<AnalysisMetricKey, boolean>> = {},
) {
  return ANALYSIS_METRIC_KEYS.map((key) => judgement(key, overrides[key] ?? "pass", mustHaveData[key]));
}

function limit(status: LimitCheck["status"]): LimitCheck {
  return { key: "memoryPercent", limit: 75, status, worst: null, reasons: [`memory limit ${status}`] };
}

function trend(status: TrendResult["status"]): TrendResult {
  return {
    key: "memoryPercent",
    nodeId: "canary-1",
    status,
    n: 40,
    slopePerMinute: 1.9,
    slopeCi: { low: 1.5, high: 2.3 },
    confidence: 0.95,
    pValue: 0.0001,
    level: 40,
    limit: 75,
    crossing: { inMinutes: 22, ciMinutes: { low: 15, high: 31 } },
    horizonMinutes: 120,
    message: `memory trend ${status}`,
  };
}

function score(input: Partial<ScoreAnalysisInput>) {
  return scoreAnalysis({ phase: "before_widen", judgements: judgements(), limits: [], trends: [], thresholds: THRESHOLDS, ...input });
}

describe("scoreAnalysis", () => {
  it("passes with 100 when every metric passes", () => {
    const result = score({});
    expect(result).toMatchObject({ score: 100, decision: "pass", reasons: ["Score 100 meets the pass threshold of 95."] });
    expect(result.groups.map((group) => [group.group, group.weight, group.score])).toEqual([
      ["reliability", 35, 100],
      ["latency", 20, 100],
      ["resources", 20, 100],
      ["quality", 15, 100],
      ["cost", 10, 100],
    ]);
  });

  it("is marginal when one metric fails: its group's weight is lost (p95: 100 − 20 = 80)", () => {
    const result = score({ judgements: judgements({ p95Ms: "fail" }) });
    expect(result).toMatchObject({ score: 80, decision: "marginal" });
    expect(result.reasons).toEqual(["Score 80 is below the pass threshold of 95.", "p95Ms fail"]);
  });

  it("counts metrics within a group equally (one of two reliability metrics: 100 − 35/2 = 82.5)", () => {
    const result = score({ judgements: judgements({ errorRate: "fail" }) });
    expect(result.score).toBe(82.5);
    expect(result.groups.find((group) => group.group === "reliability")).toEqual({
      group: "reliability",
      weight: 35,
      score: 50,
      passed: 1,
      failed: 1,
      inconclusive: 0,
    });
  });

  it("fails below the marginal threshold (p95 and tokens: 70)", () => {
    const result = score({ judgements: judgements({ p95Ms: "fail", tokensPerTask: "fail" }) });
    expect(result).toMatchObject({ score: 70, decision: "fail" });
    expect(result.reasons[0]).toBe("Score 70 is below the marginal threshold of 75.");
  });

  it("fails on any critical metric whatever the score", () => {
    const result = score({ judgements: judgements({ tokensPerTask: "critical" }) });
    expect(result).toMatchObject({ score: 90, decision: "fail", reasons: ["Critical: tokensPerTask critical"] });
  });

  it("is inconclusive, not pass, when a mustHaveData metric has no verdict", () => {
    const result = score({ judgements: judgements({ memoryPercent: "inconclusive" }) });
    // Resources is scored by queue depth alone; the score is 100 but the decision can't be pass.
    expect(result).toMatchObject({ score: 100, decision: "inconclusive", reasons: ["memoryPercent inconclusive"] });
  });

  it("leaves an optional metric without data out of the score and redistributes its group's weight", () => {
    const optional = score({ judgements: judgements({ evalScore: "inconclusive" }) });
    expect(optional).toMatchObject({ score: 100, decision: "pass" });
    expect(optional.reasons).toContain("Not scored: evalScore inconclusive");
    // p95 fails: 100 − 20/85 · 100 = 76.47 over the four groups with data.
    const withFail = score({ judgements: judgements({ evalScore: "inconclusive", p95Ms: "fail" }) });
    expect(withFail).toMatchObject({ score: 76.47, decision: "marginal" });
  });

  it("fails a low score even when data is missing, and is inconclusive when nothing could be judged", () => {
    const low = score({ judgements: judgements({ p95Ms: "fail", tokensPerTask: "fail", memoryPercent: "inconclusive" }) });
    expect(low.decision).toBe("fail");
    const none = score({ judgements: ANALYSIS_METRIC_KEYS.map((key) => judgement(key, "inconclusive")) });
    expect(none).toMatchObject({ score: null, decision: "inconclusive" });
    expect(none.reasons[0]).toBe("No metric could be judged.");
  });

  it("fails on a safety-limit breach or a trend crossing, and notes a rising trend", () => {
    expect(score({ limits: [limit("breached")] })).toMatchObject({ decision: "fail", reasons: ["memory limit breached"] });
    expect(score({ trends: [trend("fail")] })).toMatchObject({ decision: "fail", reasons: ["memory trend fail"] });
    const rising = score({ trends: [trend("rising"), trend("steady")] });
    expect(rising).toMatchObject({ decision: "pass", reasons: ["Score 100 meets the pass threshold of 95.", "memory trend rising"] });
  });

  it("is inconclusive when a limit check got broken data, but not when there simply is none", () => {
    expect(score({ limits: [limit("inconclusive")] }).decision).toBe("inconclusive");
    expect(score({ limits: [limit("no_data")] }).decision).toBe("pass");
  });

  it("decides the watch on the safety net alone, without a score", () => {
    const watch = (input: Partial<ScoreAnalysisInput>) => score({ phase: "watch", judgements: [], ...input });
    expect(watch({ limits: [limit("ok")], trends: [trend("steady")] })).toMatchObject({
      score: null,
      groups: [],
      decision: "pass",
      reasons: ["No safety limit breached and no trend projected across its limit."],
    });
    expect(watch({ trends: [trend("fail")] })).toMatchObject({ decision: "fail", reasons: ["memory trend fail"] });
    expect(watch({ limits: [limit("inconclusive")] })).toMatchObject({ decision: "inconclusive", reasons: ["memory limit inconclusive"] });
    expect(watch({ limits: [limit("no_data")], trends: [trend("inconclusive")] }).decision).toBe("pass");
  });
});
