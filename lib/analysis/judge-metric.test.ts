import { describe, expect, it } from "vitest";
import { ANALYSIS_METRICS, type AnalysisMetricKey } from "./analysis-metrics";
import { judgeMetric, type EffectiveMetricSettings } from "./judge-metric";
import type { MetricPoint } from "./metric-series-from-samples";
import { SCIPY_REFERENCE } from "./scipy-reference.fixture";

// p-values below are SciPy's: mannwhitneyu(canary, baseline, alternative="greater" | "less",
// method="asymptotic", use_continuity=True), from scipy-reference.fixture.ts.
const MW = SCIPY_REFERENCE.mannWhitney;
const T0 = Date.UTC(2026, 11, 1, 12);

/** SciPy's p to the 1.2e-7 relative accuracy of the erfc approximation both sides use. */
function expectP(actual: number | null, expected: number) {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(2e-7 * expected);
}

function points(values: readonly number[], weight?: number): MetricPoint[] {
  return values.map((v, i) => (weight === undefined ? { t: T0 + i * 15_000, v } : { t: T0 + i * 15_000, v, w: weight }));
}

function defaults(key: AnalysisMetricKey, overrides: Partial<EffectiveMetricSettings> = {}): EffectiveMetricSettings {
  const metric = ANALYSIS_METRICS[key];
  return {
    allowedChange: metric.allowedChange,
    criticalChange: metric.criticalChange,
    mustHaveData: metric.mustHaveData,
    limit: metric.limit,
    ...overrides,
  };
}

function judge(
  key: AnalysisMetricKey,
  canary: MetricPoint[],
  baseline: MetricPoint[],
  overrides: Partial<EffectiveMetricSettings> = {},
  problems?: string[],
) {
  return judgeMetric({ key, canary, baseline, settings: defaults(key, overrides), alpha: 0.05, problems });
}

describe("judgeMetric", () => {
  it("fails a significant change beyond the allowed change (p95 +27 % vs allowed +20 %)", () => {
    const result = judge("p95Ms", points(MW.latencyShift.canary), points(MW.latencyShift.baseline));
    expect(result).toMatchObject({
      key: "p95Ms",
      verdict: "fail",
      canary: { n: 10, median: 264, center: 264 },
      baseline: { n: 10, median: 207.5, center: 207.5 },
      tolerance: "relative",
      u: 95,
      allowed: 0.2,
      critical: 0.5,
    });
    expect(result.effect).toBeCloseTo(56.5 / 207.5, 12);
    expect(result.badChange).toBeCloseTo(56.5 / 207.5, 12);
    expectP(result.pValue, MW.latencyShift.greater.p);
    expect(result.reasons).toEqual([
      "p95 latency: canary 264 ms vs baseline 207.5 ms (+27.2%): significantly higher (p < 0.001, α = 0.05) and beyond the allowed +20%.",
    ]);
  });

  it("is critical beyond the critical change", () => {
    const result = judge("p95Ms", points(MW.latencyShift.canary), points(MW.latencyShift.baseline), {
      allowedChange: 0.1,
      criticalChange: 0.25,
    });
    expect(result.verdict).toBe("critical");
    expect(result.reasons[0]).toContain("and beyond the critical +25%.");
  });

  it("passes a significant change within the allowed change (the +2.9 % memory that used to fail)", () => {
    const result = judge("memoryPercent", points(MW.memoryNoise.canary), points(MW.memoryNoise.baseline));
    // One-sided p = 0.026 < α (the two-sided test would give 0.052 and call it noise).
    expectP(result.pValue, MW.memoryNoise.greater.p);
    expect(result.verdict).toBe("pass");
    expect(result.canary.median).toBe(40.6);
    expect(result.baseline.median).toBe(39.45);
    expect(result.reasons).toEqual([
      "memory: canary 40.6% vs baseline 39.45% (+2.92%): significantly higher (p = 0.026, α = 0.05) but within the allowed +10%.",
    ]);
  });

  it("passes a large change that is not significant", () => {
    // Pooled: one interval with 40 % errors among eight is 5 pp, but the ranks barely move (p = 0.19).
    const result = judge("errorRate", points(MW.sparseErrors.canary, 25), points(MW.sparseErrors.baseline, 25));
    expect(result.canary).toEqual({ n: 8, median: 0, center: 5 });
    expect(result.badChange).toBe(5);
    expectP(result.pValue, MW.sparseErrors.greater.p);
    expect(result.verdict).toBe("pass");
    expect(result.reasons[0]).toBe("error rate: canary 5% vs baseline 0% (+5 pp): not significantly higher (p = 0.191, α = 0.05).");
  });

  it("pools counter-derived rates by their weights (ΣΔerrors / ΣΔtasks), not by median", () => {
    // Canary 3 % vs baseline 0.5 % errors: medians say 2 vs 0, the pooled rates differ by 2.5 pp.
    const result = judge("errorRate", points(MW.errorRateTies.canary, 25), points(MW.errorRateTies.baseline, 25));
    expect(result.canary).toEqual({ n: 16, median: 2, center: 3 });
    expect(result.baseline).toEqual({ n: 16, median: 0, center: 0.5 });
    expect(result.tolerance).toBe("absolute");
    expect(result.effect).toBeCloseTo(2.5, 12);
    expectP(result.pValue, MW.errorRateTies.greater.p);
    expect(result.verdict).toBe("fail");
    expect(result.reasons[0]).toBe(
      "error rate: canary 3% vs baseline 0.5% (+2.5 pp): significantly higher (p = 0.010, α = 0.05) and beyond the allowed +2 pp.",
    );
  });

  it("weights intervals unequally when their task counts differ", () => {
    const canary: MetricPoint[] = [
      ...points([10, 10, 10, 10], 10),
      ...points([0, 0, 0, 0], 90).map((point) => ({ ...point, t: point.t + 60_000 })),
    ];
    // (4 · 10 · 10) / (4 · 10 + 4 · 90) = 1 % pooled, though the mean of the rates is 5 %.
    const result = judge("errorRate", canary, points([0, 0, 0, 0, 0, 0, 0, 0], 50));
    expect(result.canary.center).toBeCloseTo(1, 12);
  });

  it("judges errors against a zero-error baseline by the absolute difference", () => {
    const canary = MW.queueAgainstZero.canary.map((v) => 4 * v);
    const result = judge("errorRate", points(canary, 25), points(MW.queueAgainstZero.baseline, 25));
    expect(result.baseline.center).toBe(0);
    expect(result.effect).toBeCloseTo(28 / 12, 12);
    expectP(result.pValue, MW.queueAgainstZero.greater.p);
    expect(result.verdict).toBe("fail");
    expect(result.reasons[0]).toBe(
      "error rate: canary 2.333% vs baseline 0% (+2.333 pp): significantly higher (p = 0.018, α = 0.05) and beyond the allowed +2 pp.",
    );
  });

  it("refuses to divide by a zero baseline: inconclusive when the canary is worse, pass when it is not", () => {
    const zeros = points([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const worse = judge("tokensPerTask", points(MW.queueAgainstZero.canary.map((v) => 500 * v)), zeros);
    expect(worse.verdict).toBe("inconclusive");
    expect(worse.effect).toBeNull();
    expectP(worse.pValue, MW.queueAgainstZero.greater.p);
    expect(worse.reasons[0]).toBe(
      "tokens per task: canary 291.7 vs baseline 0: the baseline is 0, so a relative change is undefined; check the baseline cohort and judge by hand.",
    );
    const same = judge("tokensPerTask", zeros, zeros);
    expect(same.verdict).toBe("pass");
    expect(same.reasons[0]).toBe("tokens per task: canary 0 vs baseline 0: the baseline is 0 and the canary is not worse.");
  });

  it("passes a change in the good direction without needing significance", () => {
    // Tasks per minute: a decrease is bad; the canary is higher.
    const result = judge("tasksPerMinute", points(MW.latencyShift.canary, 0.25), points(MW.latencyShift.baseline, 0.25));
    expectP(result.pValue, MW.latencyShift.less.p);
    expect(result.badChange).toBeLessThan(0);
    expect(result.verdict).toBe("pass");
    expect(result.reasons[0]).toMatch(/: not worse\.$/);
  });

  it("fails a significant decrease where a decrease is bad (throughput −21.5 %)", () => {
    const result = judge("tasksPerMinute", points(MW.latencyShift.baseline, 0.25), points(MW.latencyShift.canary, 0.25));
    // Pooled means: 207.1 vs 264.7 → −21.8 %, beyond the allowed −20 %.
    expectP(result.pValue, MW.latencyShift.greater.p);
    expect(result.effect).toBeCloseTo(207.1 / 264.7 - 1, 12);
    expect(result.verdict).toBe("fail");
    expect(result.reasons[0]).toContain("significantly lower (p < 0.001, α = 0.05) and beyond the allowed −20%.");
  });

  it("treats a change equal to the allowed change as within it", () => {
    const baseline = points([0, 1, 0, 1, 0, 1, 0, 1], 10);
    const atLimit = judge("errorRate", points([2, 3, 2, 3, 2, 3, 2, 3], 10), baseline);
    expect(atLimit.badChange).toBe(2);
    expect(atLimit.pValue).toBeLessThan(0.05);
    expect(atLimit.verdict).toBe("pass");
    const over = judge("errorRate", points([2, 3, 2, 3, 2, 3, 2, 4], 10), baseline);
    expect(over.verdict).toBe("fail");
  });

  it("is inconclusive, never pass, without data or with too few samples", () => {
    const healthy = points(MW.latencyShift.baseline);
    expect(judge("p95Ms", [], healthy)).toMatchObject({
      verdict: "inconclusive",
      pValue: null,
      reasons: ["p95 latency: no canary samples (at least 8 needed)."],
    });
    expect(judge("p95Ms", healthy, [])).toMatchObject({
      verdict: "inconclusive",
      reasons: ["p95 latency: no baseline samples, so there is nothing to compare the canary with."],
    });
    const few = judge("p95Ms", healthy.slice(0, 5), healthy);
    expect(few.verdict).toBe("inconclusive");
    expect(few.canary).toEqual({ n: 5, median: 195, center: 195 });
    expect(few.reasons).toEqual(["p95 latency: only 5 canary samples (at least 8 needed)."]);
    expect(judge("evalScore", points([0.5, 0.5]), points([0.99, 0.99, 0.99])).verdict).toBe("inconclusive");
  });

  it("is inconclusive with NaN or infinite samples rather than judging the rest", () => {
    const canary = points([...MW.latencyShift.canary.slice(0, 9), Number.NaN]);
    const nan = judge("p95Ms", canary, points([...MW.latencyShift.baseline.slice(0, 9), Number.POSITIVE_INFINITY]));
    expect(nan.verdict).toBe("inconclusive");
    expect(nan.reasons).toEqual([
      "p95 latency: 1 canary sample is NaN or infinite, so the source is broken; not judged.",
      "p95 latency: 1 baseline sample is NaN or infinite, so the source is broken; not judged.",
    ]);
  });

  it("is inconclusive when the provider failed, even with samples", () => {
    const result = judge("p95Ms", points(MW.latencyShift.canary), points(MW.latencyShift.baseline), {}, ["canary-1: scrape timed out"]);
    expect(result).toMatchObject({
      verdict: "inconclusive",
      reasons: ["p95 latency: not judged, the data source failed: canary-1: scrape timed out"],
    });
  });

  it("passes identical cohorts with p = 1", () => {
    const result = judge("queueDepth", points(MW.identical.canary), points(MW.identical.baseline));
    expect(result).toMatchObject({ verdict: "pass", pValue: 1, effect: 0 });
  });
});
