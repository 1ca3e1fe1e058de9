import { hashUnit } from "./hash-unit";

/**
 * Duration of task number `index`: log-normal around 1.2 s (agent turns are mostly quick with a
 * long tail of tool-heavy ones). A function of the index, so the histogram can be filled for
 * any range of tasks without having stored them.
 */
export function simTaskDurationSeconds(seed: number, index: number): number {
  const u1 = Math.max(hashUnit(seed, 40, index), 1e-12);
  const u2 = hashUnit(seed, 41, index);
  const normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return 1.2 * Math.exp(0.6 * normal);
}
