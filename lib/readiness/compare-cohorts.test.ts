import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/app-error";
import { compareCohorts } from "./compare-cohorts";

// Expected U / p below come from SciPy 1.17.1:
//   scipy.stats.mannwhitneyu(canary, stable, alternative="two-sided", method="asymptotic", use_continuity=True)
// (`statistic` is U of the first sample), and z from the same formula SciPy uses internally:
//   z = (|U − n1·n2/2| − 0.5) / sqrt(n1·n2/12 · ((n+1) − Σ(t³−t)/(n(n−1)))), signed like U − n1·n2/2.
const LATENCY_CANARY = [212, 230, 245, 251, 260, 268, 275, 290, 301, 315];
const LATENCY_STABLE = [180, 190, 195, 201, 205, 210, 214, 219, 224, 233];
const MEMORY_CANARY = [61, 62, 62, 63, 64, 64, 64, 66];
const MEMORY_STABLE = [60, 60, 61, 62, 62, 63, 63, 63];
const SUCCESS_CANARY = [0.91, 0.92, 0.93, 0.935, 0.94, 0.945, 0.95, 0.96];
const SUCCESS_STABLE = [0.97, 0.975, 0.98, 0.981, 0.982, 0.985, 0.99, 0.995];

describe("compareCohorts", () => {
  it("fails a canary whose latency is significantly higher (no ties)", () => {
    const result = compareCohorts({ metric: "p95Ms", direction: "higher_is_worse", canary: LATENCY_CANARY, stable: LATENCY_STABLE });
    expect(result).toMatchObject({ metric: "p95Ms", verdict: "fail", u: 95, canaryMedian: 264, stableMedian: 207.5 });
    expect(result.z).toBeCloseTo(3.363883809782122, 4);
    expect(result.pValue).toBeCloseTo(0.0007685389131627665, 5);
    expect(result.effect).toBeCloseTo(56.5 / 207.5, 12);
    expect(result.reasons).toEqual([
      "p95Ms: canary is significantly worse: canary median 264 vs stable 207.5 (+27.2%), p < 0.001 (α = 0.05).",
    ]);
  });

  it("applies the tie correction (integer memory percentages) and passes a non-significant shift", () => {
    const result = compareCohorts({ metric: "memoryPercent", direction: "higher_is_worse", canary: MEMORY_CANARY, stable: MEMORY_STABLE });
    expect(result).toMatchObject({ verdict: "pass", u: 49, canaryMedian: 63.5, stableMedian: 62 });
    expect(result.z).toBeCloseTo(1.766955864622242, 4);
    expect(result.pValue).toBeCloseTo(0.077235620053821, 4);
    expect(result.reasons).toEqual([
      "memoryPercent: no significant difference: canary median 63.5 vs stable 62 (+2.42%), p = 0.077 (α = 0.05).",
    ]);
  });

  it("fails a canary whose success rate is significantly lower when lower is worse", () => {
    const result = compareCohorts({ metric: "successRate", direction: "lower_is_worse", canary: SUCCESS_CANARY, stable: SUCCESS_STABLE });
    expect(result).toMatchObject({ verdict: "fail", u: 0, canaryMedian: 0.9375, stableMedian: 0.9815 });
    expect(result.z).toBeCloseTo(-3.308161698516173, 4);
    expect(result.pValue).toBeCloseTo(0.0009391056991171899, 5);
  });

  it("passes a significant difference in the good direction, and says so", () => {
    const result = compareCohorts({ metric: "successRate", direction: "higher_is_worse", canary: SUCCESS_CANARY, stable: SUCCESS_STABLE });
    expect(result.verdict).toBe("pass");
    expect(result.reasons).toEqual([
      "successRate: canary differs significantly but not for the worse: canary median 0.9375 vs stable 0.9815 (-4.48%), p < 0.001 (α = 0.05).",
    ]);
  });

  it("matches SciPy on interleaved samples (p ≈ 0.713)", () => {
    const result = compareCohorts({
      metric: "queueDepth",
      direction: "higher_is_worse",
      canary: [10, 12, 14, 16, 18, 20, 22, 24],
      stable: [11, 13, 15, 17, 19, 21, 23, 25],
    });
    expect(result).toMatchObject({ verdict: "pass", u: 28 });
    expect(result.z).toBeCloseTo(-0.36757352205735255, 4);
    expect(result.pValue).toBeCloseTo(0.713191261016072, 4);
  });

  it("reproduces the textbook tortoise-and-hare example", () => {
    // Wikipedia, "Mann–Whitney U test", illustration: finishing order T H H H H H T T T T T H.
    // Tortoise ranks 1, 7, 8, 9, 10, 11 → W = 46, U_T = 46 − 6·7/2 = 25, U_H = 36 − 25 = 11.
    // SciPy 1.17.1 (asymptotic, continuity): statistic 25, p = 0.2979530616081678.
    const result = compareCohorts({
      metric: "finish",
      direction: "higher_is_worse",
      canary: [1, 7, 8, 9, 10, 11],
      stable: [2, 3, 4, 5, 6, 12],
      minSamples: 6,
    });
    expect(result).toMatchObject({ verdict: "pass", u: 25 });
    expect(result.z).toBeCloseTo(1.0408329997330663, 4);
    expect(result.pValue).toBeCloseTo(0.2979530616081678, 4);
  });

  it("fails on the plan's absolute threshold even without a significant shift", () => {
    const result = compareCohorts({
      metric: "memoryPercent",
      direction: "higher_is_worse",
      canary: MEMORY_CANARY,
      stable: MEMORY_STABLE,
      threshold: 63,
    });
    expect(result.verdict).toBe("fail");
    expect(result.reasons[0]).toBe("memoryPercent: canary median 63.5 is above the maximum of 63.");
  });

  it("treats a median exactly at the threshold as within it", () => {
    const result = compareCohorts({
      metric: "m",
      direction: "higher_is_worse",
      canary: MEMORY_CANARY,
      stable: MEMORY_STABLE,
      threshold: 63.5,
    });
    expect(result.verdict).toBe("pass");
  });

  it("fails a lower-is-worse threshold from below", () => {
    const result = compareCohorts({
      metric: "successRate",
      direction: "lower_is_worse",
      canary: SUCCESS_CANARY,
      stable: SUCCESS_CANARY,
      threshold: 0.95,
    });
    expect(result).toMatchObject({ verdict: "fail", pValue: 1, z: 0 });
    expect(result.reasons[0]).toBe("successRate: canary median 0.9375 is below the minimum of 0.95.");
  });

  it("is inconclusive with too few samples, but still computes what it can", () => {
    const result = compareCohorts({ metric: "p95Ms", direction: "higher_is_worse", canary: [300, 310, 320], stable: LATENCY_STABLE });
    expect(result).toMatchObject({ verdict: "inconclusive", u: 30, canaryMedian: 310, stableMedian: 207.5 });
    expect(result.reasons).toEqual(["p95Ms: too few samples to compare (canary 3, stable 10; need 8 each)."]);
  });

  it("does not judge the threshold on fewer than minSamples canary samples", () => {
    const result = compareCohorts({ metric: "p95Ms", direction: "higher_is_worse", canary: [900], stable: LATENCY_STABLE, threshold: 500 });
    expect(result.verdict).toBe("inconclusive");
  });

  it("fails on the threshold when only the stable cohort is too small", () => {
    const result = compareCohorts({ metric: "p95Ms", direction: "higher_is_worse", canary: LATENCY_CANARY, stable: [200], threshold: 250 });
    expect(result.verdict).toBe("fail");
    expect(result.reasons).toEqual([
      "p95Ms: canary median 264 is above the maximum of 250.",
      "p95Ms: too few samples to compare (canary 10, stable 1; need 8 each).",
    ]);
  });

  it("returns nulls for an empty cohort", () => {
    expect(compareCohorts({ metric: "m", direction: "higher_is_worse", canary: [], stable: [] })).toEqual({
      metric: "m",
      verdict: "inconclusive",
      u: null,
      z: null,
      pValue: null,
      canaryMedian: null,
      stableMedian: null,
      effect: null,
      reasons: ["m: too few samples to compare (canary 0, stable 0; need 8 each)."],
    });
  });

  it("gives p = 1 when every sample is identical, and no relative effect against a zero median", () => {
    const zeros = Array.from({ length: 8 }, () => 0);
    expect(compareCohorts({ metric: "queueDepth", direction: "higher_is_worse", canary: zeros, stable: zeros })).toMatchObject({
      verdict: "pass",
      u: 32,
      z: 0,
      pValue: 1,
      effect: null,
    });
  });

  it("ignores non-finite samples and says how many", () => {
    const result = compareCohorts({
      metric: "p95Ms",
      direction: "higher_is_worse",
      canary: [...LATENCY_CANARY, Number.NaN],
      stable: [...LATENCY_STABLE, Number.POSITIVE_INFINITY],
    });
    expect(result).toMatchObject({ verdict: "fail", u: 95 });
    expect(result.reasons[0]).toBe("p95Ms: ignored 2 non-finite samples.");
  });

  it("uses the given alpha: p = 0.077 fails at α = 0.1", () => {
    const result = compareCohorts({
      metric: "memoryPercent",
      direction: "higher_is_worse",
      canary: MEMORY_CANARY,
      stable: MEMORY_STABLE,
      alpha: 0.1,
    });
    expect(result.verdict).toBe("fail");
  });

  it("refuses nonsense parameters", () => {
    const base = { metric: "m", direction: "higher_is_worse" as const, canary: [1], stable: [1] };
    expect(() => compareCohorts({ ...base, alpha: 0 })).toThrow(AppError);
    expect(() => compareCohorts({ ...base, minSamples: 0 })).toThrow("minSamples");
    expect(() => compareCohorts({ ...base, threshold: Number.NaN })).toThrow("threshold");
  });
});
