import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/app-error";
import { normalQuantile } from "./normal-quantile";
import { normalSurvival } from "./normal-survival";
import { SCIPY_REFERENCE } from "./scipy-reference.fixture";

describe("normalQuantile", () => {
  it("matches scipy.stats.norm.ppf to 1e-7", () => {
    const entries = Object.entries(SCIPY_REFERENCE.normalQuantile);
    expect(entries.length).toBeGreaterThan(5);
    for (const [p, expected] of entries) expect(Math.abs(normalQuantile(Number(p)) - expected)).toBeLessThan(1e-7);
  });

  it("refuses p outside (0, 1)", () => {
    for (const p of [0, 1, -0.1, Number.NaN]) expect(() => normalQuantile(p)).toThrow(AppError);
  });
});

describe("normalSurvival", () => {
  it("is the upper tail, symmetric, and exact at the ends", () => {
    expect(normalSurvival(0)).toBeCloseTo(0.5, 7);
    expect(normalSurvival(1.959963984540054)).toBeCloseTo(0.025, 8);
    expect(normalSurvival(-1.959963984540054)).toBeCloseTo(0.975, 8);
    expect(normalSurvival(Number.POSITIVE_INFINITY)).toBe(0);
    expect(normalSurvival(Number.NEGATIVE_INFINITY)).toBe(1);
    expect(normalSurvival(Number.NaN)).toBeNaN();
  });
});
