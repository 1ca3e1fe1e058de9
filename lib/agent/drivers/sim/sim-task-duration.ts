import { hashUnit } from "./hash-unit";
import type { SimState } from "./sim-state-schema";

/** Tasks in a row that share one load level: ~1–3 minutes at a node's usual rate. */
const LOAD_BLOCK_TASKS = 256;

/**
 * Duration of task number `index`: log-normal around 0.5 s (p95 ≈ 1.3 s, under the field notes' 2 s safety limit) (agent turns are mostly quick with a
 * long tail of tool-heavy ones), times a load level that drifts ±6 % from one block of tasks to
 * the next (so a healthy node's p95 wanders like a real one's), times `factor` (the node's own
 * speed and any latency regression; the caller computes it once per batch). A function of the
 * index, so the histogram can be filled for any range of tasks without having stored them.
 */
export function simTaskDurationSeconds(seed: number, index: number, factor = 1): number {
  const u1 = Math.max(hashUnit(seed, 40, index), 1e-12);
  const u2 = hashUnit(seed, 41, index);
  const normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  const load = 0.94 + 0.12 * hashUnit(seed, 42, Math.floor(index / LOAD_BLOCK_TASKS));
  return 0.5 * Math.exp(0.6 * normal) * load * factor;
}

/**
 * The latency factor task `index` ran under: the newest recorded segment starting at or before
 * it (segments are recorded whenever the factor changes), 1 before the first.
 */
export function simLatencyFactorForTask(state: SimState, index: number): number {
  let factor = 1;
  for (const segment of state.tasks.latency) if (segment.fromIndex <= index) factor = segment.factor;
  return factor;
}
