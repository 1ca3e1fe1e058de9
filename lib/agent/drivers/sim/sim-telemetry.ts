import type { DriverTelemetry } from "../agent-driver";
import { hashUnit } from "./hash-unit";
import { simLatencyFactor, simOfferedRate, simProcessedAt, simProfile, simTaskRate, simTotalsAt, type SimProfile } from "./sim-profile";
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
  // Scrape-to-scrape noise changes every 5 s of the gateway's clock.
  const bucket = Math.floor((nowMs * options.timeScale) / 5000);
  const memoryBytes = state.service.up ? memoryAt(state, nowMs, options, profile, bucket) : 0;
  const memoryFraction = memoryBytes / options.memoryLimitBytes;
  // Near the limit the gateway garbage-collects constantly and everything queues up; slower tasks
  // keep more of them waiting (Little's law).
  const gcPressure = 1 + 6 * Math.max(0, memoryFraction - 0.6);
  const pressure = gcPressure * simLatencyFactor(state);
  const rate = simTaskRate(state, nowMs, options.timeScale);
  const offered = simOfferedRate(state, nowMs, options.timeScale);

  let queue: DriverTelemetry["queue"];
  if (!state.service.up) {
    // Nothing is served, but traffic routed here keeps piling up.
    const downForMs = Math.max(0, nowMs - state.service.since);
    const depth = Math.min(10_000, Math.floor((offered * downForMs) / 1000));
    queue = { depth, inFlight: 0, oldestAgeMs: depth > 0 ? downForMs : 0, completedRetained: 0, processingRatePerSec: 0 };
  } else if (rate === 0) {
    queue = {
      depth: 0,
      inFlight: 0,
      oldestAgeMs: 0,
      completedRetained: retained(state, nowMs, options.timeScale),
      processingRatePerSec: 0,
    };
  } else {
    const depth = Math.round((1 + 4 * hashUnit(state.seed, 20, bucket)) * pressure);
    queue = {
      depth,
      inFlight: Math.min(depth, MAX_PARALLEL_TASKS),
      oldestAgeMs: Math.round((depth / rate) * 1000 * pressure),
      completedRetained: retained(state, nowMs, options.timeScale),
      processingRatePerSec: Number((rate / gcPressure).toFixed(3)),
    };
  }

  const totals = simTotalsAt(state, nowMs, options.timeScale);
  return {
    memoryBytes,
    memoryLimitBytes: options.memoryLimitBytes,
    queue,
    tasks: {
      processedTotal: Math.floor(totals.processed),
      errorsTotal: Math.floor(totals.errors) + state.tasks.extraErrors,
      tokensSpentTotal: Math.floor(totals.tokens),
    },
  };
}

function retained(state: SimState, nowMs: number, timeScale: number): number {
  return Math.min(RETAINED_TASKS, Math.floor(simProcessedAt(state, nowMs, timeScale)));
}

function memoryAt(state: SimState, nowMs: number, options: SimTelemetryOptions, profile: SimProfile, bucket: number): number {
  let level = profile.baseMemoryBytes;
  const leak = state.faults[state.installed.core]?.memoryLeak;
  if (leak) {
    const uptimeMs = Math.max(0, nowMs - state.service.since) * options.timeScale;
    const progress = Math.min(1, uptimeMs / leak.overMs);
    level = Math.max(level, leak.fromBytes + (leak.toBytes - leak.fromBytes) * progress);
  }
  // Up to ±200 MB around the level, like a real gateway's heap: a GC sawtooth (climbs 280 MB over a
  // few minutes, drops at the collection), a slow drift, and scrape-to-scrape noise. Periods run on
  // the gateway's own clock, like the leak: a compressed fleet collects garbage that much faster.
  const fleetMs = nowMs * options.timeScale;
  const gcProgress = (fleetMs / profile.gcPeriodMs + profile.gcPhase) % 1;
  const sawtooth = (gcProgress - 0.5) * 280e6;
  const drift = 30e6 * Math.sin((2 * Math.PI * fleetMs) / 900_000 + profile.trafficPhase);
  const noise = (hashUnit(state.seed, 11, bucket) - 0.5) * 60e6;
  return Math.max(0, Math.round(level + sawtooth + drift + noise));
}
