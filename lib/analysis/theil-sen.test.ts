import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/app-error";
import { SCIPY_REFERENCE } from "./scipy-reference.fixture";
import { THEIL_SEN_MAX_POINTS, theilSen } from "./theil-sen";

describe("theilSen", () => {
  it("matches scipy.stats.theilslopes (slope, intercept and Sen's CI) at 95 % and 90 %", () => {
    const cases = Object.entries(SCIPY_REFERENCE.trends);
    expect(cases.length).toBe(6);
    for (const [name, reference] of cases) {
      for (const confidence of ["0.95", "0.9"] as const) {
        const expected = reference.theilSen[confidence];
        const result = theilSen(reference.x, reference.y, { confidence: Number(confidence) });
        const where = `${name} @ ${confidence}`;
        expect(result.slope, where).toBeCloseTo(expected.slope, 10);
        expect(result.intercept, where).toBeCloseTo(expected.intercept, 9);
        // The bounds are order statistics of the slopes, so they are equal, not close.
        expect(result.lowSlope, where).toBeCloseTo(expected.lowSlope, 12);
        expect(result.highSlope, where).toBeCloseTo(expected.highSlope, 12);
      }
    }
  });

  it("recovers an exact line", () => {
    const x = [0, 1, 2, 3, 4, 5, 6, 7];
    const result = theilSen(
      x,
      x.map((v) => 3 + 2 * v),
    );
    expect(result).toMatchObject({ slope: 2, intercept: 3, lowSlope: 2, highSlope: 2, pairs: 28 });
  });

  it("shrugs off an outlier that drags least squares", () => {
    const x = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const y = x.map((v) => 10 + 0.5 * v);
    y[9] = 100;
    expect(theilSen(x, y).slope).toBeCloseTo(0.5, 12);
  });

  it("refuses mismatched, non-finite, oversized or single-x input", () => {
    expect(() => theilSen([1, 2], [1])).toThrow(AppError);
    expect(() => theilSen([1, 2], [1, Number.POSITIVE_INFINITY])).toThrow(AppError);
    expect(() => theilSen([1, 1, 1], [1, 2, 3])).toThrow(AppError);
    const many = Array.from({ length: THEIL_SEN_MAX_POINTS + 1 }, (_, i) => i);
    expect(() => theilSen(many, many)).toThrow(AppError);
  });
});
