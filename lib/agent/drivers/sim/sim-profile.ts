import { hashUnit } from "./hash-unit";
import type { SimState } from "./sim-state-schema";

/** Per-node traits derived from the seed, so nodes differ but stay reproducible. */
export function simProfile(seed: number) {
  return {
    taskRatePerSec: 1.5 + 1.5 * hashUnit(seed, 1),
    baseMemoryBytes: 1.7e9 + 0.4e9 * hashUnit(seed, 2),
    webhookRatePerSec: 0.2 + 0.3 * hashUnit(seed, 3),
    avgTokensPerTask: 600 + 600 * hashUnit(seed, 4),
    errorRate: 0.002 + 0.004 * hashUnit(seed, 5),
  };
}

/** Tasks per second actually served: none while down or drained, scaled by LB weight. */
export function simTaskRate(state: SimState): number {
  if (!state.service.up || state.lb.drained) return 0;
  return simProfile(state.seed).taskRatePerSec * (state.lb.weight / 100);
}

/** Tasks processed up to `nowMs` (fractional; callers floor it). */
export function simProcessedAt(state: SimState, nowMs: number): number {
  return state.tasks.processed + (simTaskRate(state) * Math.max(0, nowMs - state.tasks.since)) / 1000;
}
