import { describe, expect, it } from "vitest";
import { ANALYSIS_GROUP_KEYS, ANALYSIS_GROUPS, ANALYSIS_METRIC_KEYS, ANALYSIS_METRICS } from "./analysis-metrics";

describe("ANALYSIS_METRICS", () => {
  it("has one row per key, keyed by its own key", () => {
    expect(Object.keys(ANALYSIS_METRICS).sort()).toEqual([...ANALYSIS_METRIC_KEYS].sort());
    for (const key of ANALYSIS_METRIC_KEYS) expect(ANALYSIS_METRICS[key].key).toBe(key);
  });

  it("has consistent defaults: 0 ≤ allowed ≤ critical, limits inside the range, groups that exist", () => {
    for (const metric of Object.values(ANALYSIS_METRICS)) {
      expect(metric.allowedChange, metric.key).toBeGreaterThanOrEqual(0);
      expect(metric.criticalChange, metric.key).toBeGreaterThanOrEqual(metric.allowedChange);
      expect(metric.minSamples, metric.key).toBeGreaterThanOrEqual(3);
      if (metric.limit !== null) {
        expect(metric.limit, metric.key).toBeGreaterThanOrEqual(metric.range.min);
        expect(metric.limit, metric.key).toBeLessThanOrEqual(metric.range.max);
      }
      expect(ANALYSIS_GROUP_KEYS).toContain(metric.group);
    }
  });

  it("carries the field-note defaults", () => {
    expect(ANALYSIS_METRICS.errorRate).toMatchObject({ tolerance: "absolute", allowedChange: 2, badDirection: "increase" });
    expect(ANALYSIS_METRICS.p95Ms).toMatchObject({ tolerance: "relative", allowedChange: 0.2, limit: 2000 });
    expect(ANALYSIS_METRICS.tokensPerTask).toMatchObject({ tolerance: "relative", allowedChange: 0.15 });
    expect(ANALYSIS_METRICS.evalScore).toMatchObject({ badDirection: "decrease", limit: 0.9 });
    expect(ANALYSIS_METRICS.memoryPercent).toMatchObject({ limit: 75, trend: true });
    expect(ANALYSIS_METRICS.queueDepth).toMatchObject({ limit: 500, trend: true });
  });

  it("weighs groups to 100, each at least 10, every group used", () => {
    const weights = ANALYSIS_GROUP_KEYS.map((group) => ANALYSIS_GROUPS[group].weight);
    expect(weights.reduce((sum, weight) => sum + weight, 0)).toBe(100);
    expect(Math.min(...weights)).toBeGreaterThanOrEqual(10);
    for (const group of ANALYSIS_GROUP_KEYS) expect(Object.values(ANALYSIS_METRICS).some((metric) => metric.group === group)).toBe(true);
  });
});
