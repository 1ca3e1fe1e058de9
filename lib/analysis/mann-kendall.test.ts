import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/app-error";
import { mannKendall } from "./mann-kendall";
import { SCIPY_REFERENCE } from "./scipy-reference.fixture";

describe("mannKendall", () => {
  it("matches scipy.stats.kendalltau (tau-b, asymptotic p) without continuity correction", () => {
    const cases = Object.entries(SCIPY_REFERENCE.trends);
    expect(cases.length).toBe(6);
    for (const [name, reference] of cases) {
      const expected = reference.mannKendall;
      const result = mannKendall(reference.x, reference.y, { continuity: false });
      expect(result.s, name).toBe(expected.s);
      expect(result.varS, name).toBeCloseTo(expected.varS, 8);
      expect(result.tauB, name).toBeCloseTo(expected.tauB, 12);
      expect(Math.abs(result.pValue - expected.pKendallTau), name).toBeLessThanOrEqual(2e-7 * expected.pKendallTau + 1e-15);
    }
  });

  it("matches the classic continuity-corrected Mann–Kendall p-value by default", () => {
    for (const [name, reference] of Object.entries(SCIPY_REFERENCE.trends)) {
      const expected = reference.mannKendall;
      const result = mannKendall(reference.x, reference.y);
      expect(result.z, name).toBeCloseTo(expected.zContinuity, 10);
      expect(Math.abs(result.pValue - expected.pContinuity), name).toBeLessThanOrEqual(2e-7 * expected.pContinuity + 1e-15);
      expect(result.pValue, name).toBeGreaterThanOrEqual(mannKendall(reference.x, reference.y, { continuity: false }).pValue);
    }
  });

  it("reports a falling series with negative S and z", () => {
    const result = mannKendall([0, 1, 2, 3, 4, 5], [6, 5, 4, 3, 2, 1]);
    expect(result.s).toBe(-15);
    expect(result.tauB).toBeCloseTo(-1, 12);
    expect(result.z).toBeLessThan(0);
  });

  it("gives p = 1 and NaN tau for a constant series", () => {
    const result = mannKendall([0, 1, 2, 3], [7, 7, 7, 7]);
    expect(result.s).toBe(0);
    expect(result.tauB).toBeNaN();
    expect(result.pValue).toBe(1);
  });

  it("refuses too short, mismatched or non-finite input", () => {
    expect(() => mannKendall([0, 1], [1, 2])).toThrow(AppError);
    expect(() => mannKendall([0, 1, 2], [1, 2])).toThrow(AppError);
    expect(() => mannKendall([0, 1, 2], [1, Number.NaN, 2])).toThrow(AppError);
  });
});
