import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { AgentDriver } from "../drivers/agent-driver";

// Enough history for the first scrape to show a meaningful distribution, bounded so a scrape
// after a long gap (or a huge backlog) costs milliseconds, not seconds; the rest catches up later.
const FIRST_SCRAPE_HISTORY = 1000;
const MAX_OBSERVATIONS_PER_SCRAPE = 50_000;

/**
 * Prometheus metrics for one agent. The registry is per agent (never prom-client's global
 * one), so a whole simulated fleet can live in one process and each /metrics shows only its
 * own node. Values are pulled from the driver once per scrape.
 */
export function createAgentMetrics(driver: AgentDriver) {
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
  const duration = new Histogram({
    name: "openclaw_task_duration_seconds",
    help: "Wall-clock duration of completed tasks.",
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers,
  });
  const weight = new Gauge({ name: "openclaw_lb_weight", help: "Load-balancer weight (0-100).", registers });
  const drained = new Gauge({ name: "openclaw_lb_drained", help: "1 while the node is drained.", registers });

  const last = { processed: 0, errors: 0, tokens: 0 };
  let observedUpTo: number | null = null;

  function advance(counter: Counter, key: keyof typeof last, total: number): void {
    // Counters only move forward; a driver total that goes back (reinstall) is not a negative rate.
    if (total > last[key]) {
      counter.inc(total - last[key]);
      last[key] = total;
    }
  }

  async function refresh(): Promise<void> {
    const [telemetry, lb] = await Promise.all([driver.telemetry(), driver.lbState()]);
    memory.set(telemetry.memoryBytes);
    memoryLimit.set(telemetry.memoryLimitBytes);
    queueDepth.set(telemetry.queue.depth);
    inFlight.set(telemetry.queue.inFlight);
    oldestAge.set(telemetry.queue.oldestAgeMs / 1000);
    advance(processed, "processed", telemetry.tasks.processedTotal);
    advance(errors, "errors", telemetry.tasks.errorsTotal);
    advance(tokens, "tokens", telemetry.tasks.tokensSpentTotal);
    weight.set(lb.weight);
    drained.set(lb.drained ? 1 : 0);

    const total = telemetry.tasks.processedTotal;
    const from = observedUpTo ?? Math.max(0, total - FIRST_SCRAPE_HISTORY);
    const to = Math.min(total, from + MAX_OBSERVATIONS_PER_SCRAPE);
    if (to > from) for (const seconds of driver.taskDurationsSeconds(from, to)) duration.observe(seconds);
    observedUpTo = Math.max(from, to);
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
