import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { AgentDriver } from "../drivers/agent-driver";
import { buildCapabilityReport } from "../reports/build-capability-report";

// Enough history for the first scrape to show a meaningful distribution, bounded so a scrape
// after a long gap (or a huge backlog) costs milliseconds, not seconds; the rest catches up later.
const FIRST_SCRAPE_HISTORY = 1000;
const MAX_OBSERVATIONS_PER_SCRAPE = 50_000;
/** Tasks kept for the recent p95; the newest win when a window holds more. */
const MAX_RECENT_DURATIONS = 5_000;
// The share of tokens that are input (prompt, context, tool results) in the OpenClaw-style split.
const INPUT_TOKEN_SHARE = 0.8;

export type AgentMetricsOptions = {
  /** The window of the recent p95 gauge (default 5 min). */
  recentWindowMs?: number;
  now?: () => number;
};

/** The q-quantile of `values` (sorted ascending) by linear interpolation between closest ranks. */
function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = sorted[Math.floor(position)] ?? 0;
  const above = sorted[Math.ceil(position)] ?? below;
  return below + (above - below) * (position - Math.floor(position));
}

/**
 * Prometheus metrics for one agent. The registry is per agent (never prom-client's global
 * one), so a whole simulated fleet can live in one process and each /metrics shows only its
 * own node. Values are pulled from the driver once per scrape.
 */
export function createAgentMetrics(driver: AgentDriver, options: AgentMetricsOptions = {}) {
  const now = options.now ?? (() => Date.now());
  const recentWindowMs = options.recentWindowMs ?? 5 * 60_000;
  const registry = new Registry();
  const registers = [registry];

  const memory = new Gauge({ name: "openclaw_memory_bytes", help: "Resident memory of the gateway process.", registers });
  const memoryLimit = new Gauge({
    name: "openclaw_memory_limit_bytes",
    help: "Memory limit of the gateway (cgroup or configured).",
    registers,
  });
  const queueDepth = new Gauge({ name: "openclaw_queue_depth", help: "Tasks waiting in the gateway queue.", registers });
  const inFlight = new Gauge({ name: "openclaw_queue_in_flight", help: "Tasks currently being processed.", registers });
  const oldestAge = new Gauge({ name: "openclaw_queue_oldest_age_seconds", help: "Age of the oldest queued task.", registers });
  const processed = new Counter({ name: "openclaw_tasks_processed_total", help: "Tasks the gateway has completed.", registers });
  const errors = new Counter({ name: "openclaw_errors_total", help: "Tasks that ended in an error, plus gateway crashes.", registers });
  const tokens = new Counter({ name: "openclaw_tokens_spent_total", help: "Model tokens spent by completed tasks.", registers });
  // The same totals under the names (and a subset of the labels) of OpenClaw's own
  // diagnostics-prometheus plugin, so dashboards written for a real gateway read a simulated one.
  const runs = new Counter({
    name: "openclaw_run_completed_total",
    help: "Agent runs completed, by outcome (diagnostics-prometheus naming).",
    labelNames: ["outcome"] as const,
    registers,
  });
  const modelTokens = new Counter({
    name: "openclaw_model_tokens_total",
    help: "Model tokens, by token type (diagnostics-prometheus naming).",
    labelNames: ["token_type"] as const,
    registers,
  });
  const duration = new Histogram({
    name: "openclaw_task_duration_seconds",
    help: "Wall-clock duration of completed tasks.",
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers,
  });
  const weight = new Gauge({ name: "openclaw_lb_weight", help: "Load-balancer weight (0-100).", registers });
  const drained = new Gauge({ name: "openclaw_lb_drained", help: "1 while the node is drained.", registers });

  // Registered only while they have a value: an unlabelled gauge would otherwise read 0, and a
  // capability score of 0 (every check failing) must not be confused with "never checked".
  const recentP95 = new Gauge({
    name: "rollbook_task_duration_p95_seconds",
    help: "95th percentile duration of the tasks completed in the last 5 minutes (absent when there were none).",
    registers: [],
  });
  const capabilityScore = new Gauge({
    name: "rollbook_capability_score",
    help: "Weighted score (0-1) of the node's latest capability checks (absent before any).",
    registers: [],
  });
  const capabilityCheckedAt = new Gauge({
    name: "rollbook_capability_checked_timestamp_seconds",
    help: "When the latest capability checks ran (Unix time).",
    registers: [],
  });
  const checkScore = new Gauge({
    name: "rollbook_capability_check_score",
    help: "Score (0-1) of each capability check in the latest run.",
    labelNames: ["check", "kind"] as const,
    registers,
  });
  const checkOk = new Gauge({
    name: "rollbook_capability_check_ok",
    help: "1 when the capability check passed in the latest run, 0 when it failed.",
    labelNames: ["check", "kind"] as const,
    registers,
  });

  const last = { processed: 0, errors: 0, tokens: 0, completedRuns: 0, errorRuns: 0, inputTokens: 0, outputTokens: 0 };
  let observedUpTo: number | null = null;
  // Durations by the scrape that observed them, oldest first, for the recent p95.
  let recent: Array<{ at: number; seconds: number[] }> = [];

  function advance(counter: Counter, key: keyof typeof last, total: number, labels?: Record<string, string>): void {
    // Counters only move forward; a driver total that goes back (reinstall) is not a negative rate.
    if (total > last[key]) {
      if (labels) counter.inc(labels, total - last[key]);
      else counter.inc(total - last[key]);
      last[key] = total;
    }
  }

  function show(name: string, gauge: Gauge, value: number | null): void {
    if (value === null) {
      if (registry.getSingleMetric(name)) registry.removeSingleMetric(name);
      return;
    }
    gauge.set(value);
    if (!registry.getSingleMetric(name)) registry.registerMetric(gauge);
  }

  function observeRecent(at: number, seconds: number[]): number | null {
    if (seconds.length > 0) recent.push({ at, seconds });
    recent = recent.filter((batch) => batch.at > at - recentWindowMs);
    const window: number[] = [];
    for (let index = recent.length - 1; index >= 0 && window.length < MAX_RECENT_DURATIONS; index--) {
      window.push(...(recent[index]?.seconds.slice(-(MAX_RECENT_DURATIONS - window.length)) ?? []));
    }
    if (window.length === 0) return null;
    return quantile(
      window.sort((a, b) => a - b),
      0.95,
    );
  }

  async function refresh(): Promise<void> {
    const [telemetry, lb, capabilityRun] = await Promise.all([driver.telemetry(), driver.lbState(), driver.latestCapabilities()]);
    const at = now();
    memory.set(telemetry.memoryBytes);
    memoryLimit.set(telemetry.memoryLimitBytes);
    queueDepth.set(telemetry.queue.depth);
    inFlight.set(telemetry.queue.inFlight);
    oldestAge.set(telemetry.queue.oldestAgeMs / 1000);
    const { processedTotal, errorsTotal, tokensSpentTotal } = telemetry.tasks;
    advance(processed, "processed", processedTotal);
    advance(errors, "errors", errorsTotal);
    advance(tokens, "tokens", tokensSpentTotal);
    runs.inc({ outcome: "error" }, 0); // both series from the first scrape on, so rate() sees each start
    advance(runs, "completedRuns", Math.max(0, processedTotal - errorsTotal), { outcome: "completed" });
    advance(runs, "errorRuns", errorsTotal, { outcome: "error" });
    const inputTokens = Math.floor(tokensSpentTotal * INPUT_TOKEN_SHARE);
    advance(modelTokens, "inputTokens", inputTokens, { token_type: "input" });
    advance(modelTokens, "outputTokens", tokensSpentTotal - inputTokens, { token_type: "output" });
    weight.set(lb.weight);
    drained.set(lb.drained ? 1 : 0);

    const from = observedUpTo ?? Math.max(0, processedTotal - FIRST_SCRAPE_HISTORY);
    const to = Math.min(processedTotal, from + MAX_OBSERVATIONS_PER_SCRAPE);
    const observed = to > from ? driver.taskDurationsSeconds(from, to) : [];
    for (const seconds of observed) duration.observe(seconds);
    observedUpTo = Math.max(from, to);
    show("rollbook_task_duration_p95_seconds", recentP95, observeRecent(at, observed));

    const capabilities = buildCapabilityReport({ run: capabilityRun, requested: null, now: new Date(at) });
    show("rollbook_capability_score", capabilityScore, capabilities?.score ?? null);
    show(
      "rollbook_capability_checked_timestamp_seconds",
      capabilityCheckedAt,
      capabilities ? Date.parse(capabilities.checkedAt) / 1000 : null,
    );
    checkScore.reset();
    checkOk.reset();
    for (const check of capabilities?.checks ?? []) {
      checkScore.set({ check: check.id, kind: check.kind }, check.score);
      checkOk.set({ check: check.id, kind: check.kind }, check.ok ? 1 : 0);
    }
  }

  return {
    contentType: registry.contentType,
    /** Text exposition format, refreshed from the driver. */
    async render(): Promise<string> {
      await refresh();
      return registry.metrics();
    },
  };
}

export type AgentMetrics = ReturnType<typeof createAgentMetrics>;
