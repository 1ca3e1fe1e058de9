import type { RawMetricSample } from "../metric-series-from-samples";
import { mulberry32 } from "./mulberry32";

export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;
export const SCRAPE_MS = 15_000;

export interface SyntheticNodeOptions {
  seed: number;
  /** First sample time (epoch ms). */
  start: number;
  /** Number of 15 s samples. */
  samples: number;
  /** Memory at the start, and its growth per minute, in bytes. */
  memoryStartBytes: number;
  memoryBytesPerMinute?: number;
  memoryLimitBytes?: number;
  /** Uniform noise of ± this many bytes on every memory sample. */
  memoryNoiseBytes?: number;
  queueDepth?: number;
  p95Ms?: number;
  tasksPerMinute?: number;
  /** Fraction of tasks that fail, 0..1. */
  errorFraction?: number;
  tokensPerTask?: number;
}

/**
 * Collector rows for one simulated node, deterministic per seed: memory as a line plus uniform
 * noise (the field note's leak is 2 GB → 8 GB in 4 h with ±200 MB of GC noise), queue and p95 with
 * ±10 % noise, and counters that grow by a noisy number of tasks per scrape with binomial-ish errors.
 */
export function syntheticSamples(options: SyntheticNodeOptions): RawMetricSample[] {
  const random = mulberry32(options.seed);
  const uniform = (half: number) => (2 * random() - 1) * half;
  const {
    memoryLimitBytes = 8 * GIB,
    memoryBytesPerMinute = 0,
    memoryNoiseBytes = 200 * MIB,
    queueDepth = 10,
    p95Ms = 800,
    tasksPerMinute = 120,
    errorFraction = 0.01,
    tokensPerTask = 1500,
  } = options;
  const rows: RawMetricSample[] = [];
  let tasks = 0;
  let errors = 0;
  let tokens = 0;
  for (let i = 0; i < options.samples; i++) {
    const minutes = (i * SCRAPE_MS) / 60_000;
    if (i > 0) {
      const done = Math.max(0, Math.round((tasksPerMinute / 4) * (1 + uniform(0.3))));
      let failed = 0;
      for (let task = 0; task < done; task++) if (random() < errorFraction) failed++;
      tasks += done;
      errors += failed;
      tokens += Math.round(done * tokensPerTask * (1 + uniform(0.1)));
    }
    rows.push({
      at: new Date(options.start + i * SCRAPE_MS),
      memoryBytes: options.memoryStartBytes + memoryBytesPerMinute * minutes + uniform(memoryNoiseBytes),
      memoryLimitBytes,
      queueDepth: Math.max(0, Math.round(queueDepth * (1 + uniform(0.1)))),
      p95Ms: p95Ms * (1 + uniform(0.1)),
      tasksProcessedTotal: tasks,
      errorsTotal: errors,
      tokensSpentTotal: tokens,
    });
  }
  return rows;
}
