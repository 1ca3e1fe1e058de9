import { hashUnit } from "./hash-unit";
import type { SimFault } from "./sim-faults-schema";
import type { SimState } from "./sim-state-schema";

/** Per-node traits derived from the seed, so nodes differ but stay reproducible. */
export function simProfile(seed: number) {
  return {
    taskRatePerSec: 1.5 + 1.5 * hashUnit(seed, 1),
    baseMemoryBytes: 1.7e9 + 0.4e9 * hashUnit(seed, 2),
    webhookRatePerSec: 0.2 + 0.3 * hashUnit(seed, 3),
    avgTokensPerTask: 600 + 600 * hashUnit(seed, 4),
    errorRate: 0.002 + 0.004 * hashUnit(seed, 5),
    /** Hardware and neighbours differ a little: this node's task durations relative to the fleet. */
    latencyFactor: 0.92 + 0.16 * hashUnit(seed, 6),
    /** Phases of the traffic waves and of the GC cycle, so nodes do not move in lockstep. */
    trafficPhase: 2 * Math.PI * hashUnit(seed, 7),
    burstPhase: 2 * Math.PI * hashUnit(seed, 8),
    gcPeriodMs: 180_000 + 240_000 * hashUnit(seed, 9),
    gcPhase: hashUnit(seed, 10),
  };
}

export type SimProfile = ReturnType<typeof simProfile>;

// Offered traffic is not flat: a slow wave (±15 % over 20 min) and a faster one (±8 % over 3.5 min).
const SLOW = { amplitude: 0.15, periodSec: 1200 };
const FAST = { amplitude: 0.08, periodSec: 210 };

/** The traffic level (around 1) at `nowMs`. */
export function simTrafficLevel(profile: SimProfile, nowMs: number): number {
  const t = nowMs / 1000;
  return (
    1 +
    SLOW.amplitude * Math.sin((2 * Math.PI * t) / SLOW.periodSec + profile.trafficPhase) +
    FAST.amplitude * Math.sin((2 * Math.PI * t) / FAST.periodSec + profile.burstPhase)
  );
}

/**
 * ∫ simTrafficLevel dt in seconds (up to a constant): the jittered rate in closed form, so tasks
 * processed over any span cost two cosines, however long the span. The level stays above 0.77,
 * so the integral, and every total built on it, only ever grows.
 */
function trafficIntegral(profile: SimProfile, nowMs: number): number {
  const t = nowMs / 1000;
  const slow = ((SLOW.amplitude * SLOW.periodSec) / (2 * Math.PI)) * Math.cos((2 * Math.PI * t) / SLOW.periodSec + profile.trafficPhase);
  const fast = ((FAST.amplitude * FAST.periodSec) / (2 * Math.PI)) * Math.cos((2 * Math.PI * t) / FAST.periodSec + profile.burstPhase);
  return t - slow - fast;
}

/** The fault of the installed core version, if any. */
export function simActiveFault(state: SimState): SimFault | undefined {
  return state.faults[state.installed.core];
}

/** Base tasks per second routed to this node (before the traffic waves): scaled by LB weight. */
function routedRate(state: SimState): number {
  if (state.lb.drained) return 0;
  return simProfile(state.seed).taskRatePerSec * (state.lb.weight / 100);
}

/**
 * Tasks per second offered to the node at `nowMs`, served or not, per second of wall clock: a
 * fleet on a compressed clock (`timeScale`) serves that many simulated seconds of traffic in one.
 */
export function simOfferedRate(state: SimState, nowMs: number, timeScale = 1): number {
  return routedRate(state) * timeScale * simTrafficLevel(simProfile(state.seed), nowMs * timeScale);
}

/** Tasks per second actually served at `nowMs`: none while down or drained. */
export function simTaskRate(state: SimState, nowMs: number, timeScale = 1): number {
  return state.service.up ? simOfferedRate(state, nowMs, timeScale) : 0;
}

/** Tasks processed up to `nowMs` (fractional; callers floor it). */
export function simProcessedAt(state: SimState, nowMs: number, timeScale = 1): number {
  if (!state.service.up || nowMs <= state.tasks.since) return state.tasks.processed;
  const profile = simProfile(state.seed);
  // The traffic waves run on the gateway's clock too: integrate over fleet seconds.
  return (
    state.tasks.processed +
    routedRate(state) * (trafficIntegral(profile, nowMs * timeScale) - trafficIntegral(profile, state.tasks.since * timeScale))
  );
}

/** Share of tasks that end in an error while the current core is installed. */
export function simErrorRate(state: SimState): number {
  const rise = simActiveFault(state)?.errorRateRise?.percentagePoints ?? 0;
  return Math.min(1, simProfile(state.seed).errorRate + rise / 100);
}

/** Tokens one task spends while the current core is installed. */
export function simTokensPerTask(state: SimState): number {
  return simProfile(state.seed).avgTokensPerTask * (simActiveFault(state)?.tokenSpendRise?.factor ?? 1);
}

/** How much longer than usual tasks take while the current core is installed. */
export function simLatencyFactor(state: SimState): number {
  return simActiveFault(state)?.latencyRegression?.factor ?? 1;
}

/** Totals at `nowMs` of the segment that started at the last checkpoint: rates are fixed within it. */
export function simTotalsAt(state: SimState, nowMs: number, timeScale = 1): { processed: number; errors: number; tokens: number } {
  const processed = simProcessedAt(state, nowMs, timeScale);
  const since = processed - state.tasks.processed;
  return {
    processed,
    errors: state.tasks.errors + since * simErrorRate(state),
    tokens: state.tasks.tokens + since * simTokensPerTask(state),
  };
}
