import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/app-error";
import { compareCohorts } from "@/lib/readiness";
import { mannWhitneyU, type MannWhitneyAlternative } from "./mann-whitney-u";
import { SCIPY_REFERENCE } from "./scipy-reference.fixture";

const ALTERNATIVES: MannWhitneyAlternative[] = ["two-sided", "greater", "less"];

describe("mannWhitneyU", () => {
  it("matches scipy.stats.mannwhitneyu (asymptotic, continuity) for every alternative", () => {
    const cases = Object.entries(SCIPY_REFERENCE.mannWhitney);
    expect(cases.length).toBe(7);
    for (const [name, reference] of cases) {
      for (const alternative of ALTERNATIVES) {
        const result = mannWhitneyU(reference.canary, reference.baseline, alternative);
        const expected = reference[alternative];
        expect(result.u, `${name} ${alternative} U`).toBe(expected.u);
        // 1.2e-7 relative from the erfc approximation, and ~1e-16 absolute for tiny tails.
        expect(Math.abs(result.pValue - expected.p), `${name} ${alternative} p`).toBeLessThanOrEqual(2e-7 * expected.p + 1e-15);
      }
    }
  });

  it("agrees with compareCohorts' two-sided p-value on the same samples", () => {
    for (const reference of Object.values(SCIPY_REFERENCE.mannWhitney)) {
      const ours = mannWhitneyU(reference.canary, reference.baseline, "two-sided");
      const theirs = compareCohorts({
        metric: "m",
        direction: "higher_is_worse",
        canary: reference.canary,
        stable: reference.baseline,
        minSamples: 1,
      });
      expect(ours.pValue).toBeCloseTo(theirs.pValue!, 12);
      expect(ours.u).toBe(theirs.u);
    }
  });

  it("gives p = 1 when every value is tied (σ = 0)", () => {
    expect(mannWhitneyU([5, 5, 5], [5, 5], "greater")).toEqual({ u: 3, z: 0, pValue: 1 });
  });

  it("refuses empty or non-finite samples", () => {
    expect(() => mannWhitneyU([], [1], "greater")).toThrow(AppError);
    expect(() => mannWhitneyU([1, Number.NaN], [1], "greater")).toThrow(AppError);
  });
});
