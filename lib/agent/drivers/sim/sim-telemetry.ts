import type { DriverTelemetry } from "../agent-driver";
import { hashUnit } from "./hash-unit";
import { simProcessedAt, simProfile, simTaskRate } from "./sim-profile";
import type { SimState } from "./sim-state-schema";

export type SimTelemetryOptions = { timeScale: number; memoryLimitBytes: number };

const RETAINED_TASKS = 500;
const MAX_PARALLEL_TASKS = 4;

/**
 * Memory, queue and task totals of a simulated gateway at `nowMs`, computed from persisted state,
 * elapsed time and the seed: no timers, so any number of simulated nodes costs nothing at rest.
 */
export function simTelemetry(state: SimState, nowMs: number, options: SimTelemetryOptions): DriverTelemetry {
  const profile = simProfile(state.seed);
  const bucket = Math.floor(nowMs / 5000);
  const memoryBytes = state.service.up ? memoryAt(state, nowMs, options, profile.baseMemoryBytes, bucket) : 0;
  const memoryFraction = memoryBytes / options.memoryLimitBytes;
  // Near the limit the gateway garbage-collects constantly and everything queues up.
  const pressure = 1 + 6 * Math.max(0, memoryFraction - 0.6);
  const rate = simTaskRate(state);
  const offered = state.lb.drained ? 0 : profile.taskRatePerSec * (state.lb.weight / 100);

  let queue: DriverTelemetry["queue"];
  if (!state.service.up) {
    // Nothing is served, but traffic routed here keeps piling up.
    const downForMs = Math.max(0, nowMs - state.service.since);
    const depth = Math.min(10_000, Math.floor((offered * downForMs) / 1000));
    queue = { depth, inFlight: 0, oldestAgeMs: depth > 0 ? downForMs : 0, completedRetained: 0, processingRatePerSec: 0 };
  } else if (rate === 0) {
    queue = { depth: 0, inFlight: 0, oldestAgeMs: 0, completedRetained: retained(state, nowMs), processingRatePerSec: 0 };
  } else {
    const depth = Math.round((1 + 4 * hashUnit(state.seed, 20, bucket)) * pressure);
    queue = {
      depth,
      inFlight: Math.min(depth, MAX_PARALLEL_TASKS),
      oldestAgeMs: Math.round((depth / rate) * 1000 * pressure),
      completedRetained: retained(state, nowMs),
      processingRatePerSec: Number((rate / pressure).toFixed(3)),
    };
  }

  const processedTotal = Math.floor(simProcessedAt(state, nowMs));
  return {
    memoryBytes,
    memoryLimitBytes: options.memoryLimitBytes,
    queue,
    tasks: {
      processedTotal,
      errorsTotal: Math.floor(processedTotal * profile.errorRate) + state.tasks.extraErrors,
      tokensSpentTotal: Math.floor(processedTotal * profile.avgTokensPerTask),
    },
  };
}

function retained(state: SimState, nowMs: number): number {
  return Math.min(RETAINED_TASKS, Math.floor(simProcessedAt(state, nowMs)));
}

function memoryAt(state: SimState, nowMs: number, options: SimTelemetryOptions, baseBytes: number, bucket: number): number {
  let level = baseBytes;
  const leak = state.faults[state.installed.core]?.memoryLeak;
  if (leak) {
    const uptimeMs = Math.max(0, nowMs - state.service.since) * options.timeScale;
    const progress = Math.min(1, uptimeMs / leak.overMs);
    level = Math.max(level, leak.fromBytes + (leak.toBytes - leak.fromBytes) * progress);
  }
  const wave = 60e6 * Math.sin((2 * Math.PI * nowMs) / 600_000);
  const noise = (hashUnit(state.seed, 11, bucket) - 0.5) * 40e6;
  return Math.max(0, Math.round(level + wave + noise));
}
