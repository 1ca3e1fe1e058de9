import { probit } from "simple-statistics";
import { AppError } from "@/lib/app-error";
import { normalSurvival } from "./normal-survival";

/**
 * The standard normal quantile Φ⁻¹(p), SciPy's `norm.ppf(p)`, used for the Theil–Sen confidence
 * interval. simple-statistics' `probit` uses Winitzki's closed-form inverse erf, which is off by up
 * to ~1e-3 — enough to move a confidence bound to the neighbouring slope — so three Newton steps on
 * Φ(z) − p (with the same erfc as `normalSurvival`) refine it to ~1e-8 for 1e-6 ≤ p ≤ 1 − 1e-6.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new AppError("internal", `A normal quantile needs 0 < p < 1, got ${p}.`);
  let z = probit(p);
  for (let step = 0; step < 3; step++) {
    const density = Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
    if (!(density > 0)) break;
    // Φ(z) = 1 − sf(z); Newton on Φ(z) − p.
    z -= (1 - normalSurvival(z) - p) / density;
  }
  return z;
}
