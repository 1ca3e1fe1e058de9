import { errorFunction } from "simple-statistics";

/**
 * P(Z > z) for a standard normal Z, i.e. SciPy's `norm.sf(z)`: the tail every p-value in this
 * domain is read from. Built on simple-statistics' `errorFunction` (Numerical Recipes' erfc
 * approximation, fractional error < 1.2e-7), not on `cumulativeStdNormalProbability`, which is a
 * lookup table that rounds z to 0.01 and stops at 3.09.
 *
 * For z > 0 the tail is `1 − erf(z/√2)`: the library returns erf as `1 − τ` with τ ≈ erfc, so the
 * subtraction gives τ back to within one rounding of 1 (≈ 1e-16 absolute). Tiny p-values are thus
 * exact to ~1e-16 absolute rather than 1e-7 relative, which no α-comparison can notice.
 */
export function normalSurvival(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z === Number.POSITIVE_INFINITY) return 0;
  if (z === Number.NEGATIVE_INFINITY) return 1;
  const tail = (1 - errorFunction(Math.abs(z) / Math.SQRT2)) / 2;
  return z >= 0 ? tail : 1 - tail;
}
