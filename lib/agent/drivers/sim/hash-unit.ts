/**
 * Deterministic pseudo-random number in [0, 1) from a seed and integer coordinates (time
 * bucket, task index, ...). A stateless hash instead of a stateful PRNG means any metric can be
 * recomputed for any moment without replaying history: that is what keeps 12 simulated agents
 * free of timers and busy loops. Mixing is murmur3's fmix32 finaliser.
 */
export function hashUnit(seed: number, ...coordinates: number[]): number {
  let h = seed >>> 0;
  for (const coordinate of coordinates) {
    // Split into two 32-bit halves so large coordinates (epoch buckets) still mix fully.
    h = mix(h ^ (coordinate >>> 0));
    h = mix(h ^ (Math.floor(coordinate / 2 ** 32) >>> 0) ^ 0x9e3779b9);
  }
  return mix(h) / 2 ** 32;
}

function mix(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}
