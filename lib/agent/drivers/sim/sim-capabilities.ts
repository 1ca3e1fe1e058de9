import type { CapabilityCheck, CapabilityCheckResult, CapabilityKind } from "@/lib/protocol";
import type { DriverCapabilities } from "../agent-driver";
import { hashUnit } from "./hash-unit";
import { simActiveFault, simLatencyFactor, simProfile } from "./sim-profile";
import type { SimState } from "./sim-state-schema";

/** The simulated gateway re-runs its check set this often; each interval is one deterministic run. */
export const SIM_CAPABILITY_INTERVAL_MS = 30_000;

/** Healthy share of probe turns that pass: real evals rarely score a perfect 1. */
const HEALTHY_SCORE = 0.95;
const PROBES_PER_CHECK = 40;

// What one run of each kind costs and what its probes prove, in the words of the detail line.
const KINDS: Record<CapabilityKind, { durationMs: number; timeoutMs: number; passed: string; failed: string }> = {
  tool_call_round_trip: {
    durationMs: 900,
    timeoutMs: 30_000,
    passed: "tool calls came back with the nonce",
    failed: "the tool call never returned: exec sandbox refused to start",
  },
  memory_lookup: {
    durationMs: 350,
    timeoutMs: 30_000,
    passed: "lookups found the anchor note",
    failed: "memory_search returned nothing: the vector index is empty after the upgrade",
  },
  long_work_delivery: {
    durationMs: 8_000,
    timeoutMs: 120_000,
    passed: "background reports were delivered",
    failed: "the background task finished but its report was never delivered",
  },
  webhook_delivery: {
    durationMs: 600,
    timeoutMs: 30_000,
    passed: "events reached their agent",
    failed: "signed events were rejected: signature verification failed",
  },
  model_reply: {
    durationMs: 1_500,
    timeoutMs: 30_000,
    passed: "replies matched the expected answer",
    failed: "the model call failed: the configured model id is not accepted by the provider",
  },
  gateway_health: {
    durationMs: 300,
    timeoutMs: 10_000,
    passed: "the gateway answered its health call",
    failed: "the gateway's event loop is degraded",
  },
  plugin_compat: {
    durationMs: 700,
    timeoutMs: 30_000,
    passed: "no plugin-compat findings after the upgrade",
    failed: "a plugin's manifest drifted from the new core",
  },
};

// FNV-1a, so a check's probes depend on its id rather than on its place in the list.
function idHash(id: string): number {
  let hash = 2166136261;
  for (const char of id) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return hash;
}

function runCheck(state: SimState, check: CapabilityCheck, bucket: number): CapabilityCheckResult {
  const kind = KINDS[check.kind];
  const key = idHash(check.id);
  const timeoutMs = check.timeoutMs ?? kind.timeoutMs;
  const base = { id: check.id, kind: check.kind };
  if (!state.service.up)
    return { ...base, ok: false, score: 0, durationMs: timeoutMs, detail: "gateway is not running: no probe was answered" };

  const fault = simActiveFault(state)?.evalDrop;
  const jitter = 0.8 + 0.4 * hashUnit(state.seed, 50, key, bucket);
  const durationMs = Math.round(kind.durationMs * simProfile(state.seed).latencyFactor * simLatencyFactor(state) * jitter);
  if (durationMs > timeoutMs) return { ...base, ok: false, score: 0, durationMs: timeoutMs, detail: `timed out after ${timeoutMs} ms` };
  if (fault?.failKinds.includes(check.kind)) return { ...base, ok: false, score: 0, durationMs, detail: kind.failed };

  // Each probe turn passes with the release's quality: a binomial score, noisy like a real eval.
  const quality = fault?.score ?? HEALTHY_SCORE;
  let passed = 0;
  for (let probe = 0; probe < PROBES_PER_CHECK; probe++) if (hashUnit(state.seed, 51, key, bucket, probe) < quality) passed++;
  return {
    ...base,
    ok: true,
    score: passed / PROBES_PER_CHECK,
    durationMs,
    detail: `${passed}/${PROBES_PER_CHECK} ${kind.passed} in ${durationMs} ms`,
  };
}

/**
 * The node's check set run at `nowMs`: a pure function of state, the seed and the 30 s interval,
 * so "run periodically" costs nothing until someone reads it, and the same interval always gives
 * the same results. `checkedAt` is the start of the interval, or the verify that ran them if later.
 * null when the node has no checks. The interval is 30 s of the fleet's clock: on a compressed
 * clock (`timeScale`) the checks run that much more often per wall-clock second.
 */
export function simCapabilities(state: SimState, nowMs: number, timeScale = 1): DriverCapabilities | null {
  const checks = state.capabilities.checks;
  if (checks === null || checks.length === 0) return null;
  const intervalMs = SIM_CAPABILITY_INTERVAL_MS / timeScale;
  const bucket = Math.floor(nowMs / intervalMs);
  const checkedAtMs = Math.min(nowMs, Math.max(bucket * intervalMs, state.capabilities.checksAt ?? 0));
  return { checks, results: checks.map((check) => runCheck(state, check, bucket)), checkedAt: new Date(checkedAtMs) };
}
