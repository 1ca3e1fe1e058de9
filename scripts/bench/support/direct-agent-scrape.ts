// The collector row of one simulated node without building and parsing a Prometheus exposition:
// the same driver calls and the same arithmetic as createAgentMetrics' refresh() followed by
// summarizeAgentMetrics, for the stable nodes of the analysis bench (2,400 scrapes a seed, where
// the exposition round trip costs ~0.4 ms each). simulateStableNodes checks it against the real
// path on the first seed of every run, so the two cannot drift apart silently.
import type { SimDriver } from "@/lib/agent/drivers/sim/create-sim-driver";
import type { CohortSample } from "@/lib/analysis";
import { buildCapabilityReport } from "@/lib/agent/reports/build-capability-report";

// createAgentMetrics' constants (lib/agent/metrics/create-agent-metrics.ts).
const FIRST_SCRAPE_HISTORY = 1000;
const MAX_OBSERVATIONS_PER_SCRAPE = 50_000;
const MAX_RECENT_DURATIONS = 5_000;
const RECENT_WINDOW_MS = 5 * 60_000;

/** createAgentMetrics' quantile: linear interpolation between closest ranks of a sorted array. */
function quantile(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const below = sorted[Math.floor(position)] ?? 0;
  const above = sorted[Math.ceil(position)] ?? below;
  return below + (above - below) * (position - Math.floor(position));
}

/** A scraper for one node; call it once per collector round, like the agent's /metrics. */
export function createDirectAgentScrape(driver: SimDriver, now: () => number): () => Promise<CohortSample> {
  let observedUpTo: number | null = null;
  let recent: Array<{ at: number; seconds: number[] }> = [];
  // The agent's counters only move forward, from 0: their value is the highest total seen.
  const counters = { processed: 0, errors: 0, tokens: 0 };
  return async () => {
    const [telemetry, capabilityRun] = await Promise.all([driver.telemetry(), driver.latestCapabilities()]);
    const at = now();
    const { processedTotal, errorsTotal, tokensSpentTotal } = telemetry.tasks;
    counters.processed = Math.max(counters.processed, processedTotal);
    counters.errors = Math.max(counters.errors, errorsTotal);
    counters.tokens = Math.max(counters.tokens, tokensSpentTotal);

    const from = observedUpTo ?? Math.max(0, processedTotal - FIRST_SCRAPE_HISTORY);
    const to = Math.min(processedTotal, from + MAX_OBSERVATIONS_PER_SCRAPE);
    const observed = to > from ? driver.taskDurationsSeconds(from, to) : [];
    observedUpTo = Math.max(from, to);
    if (observed.length > 0) recent.push({ at, seconds: observed });
    recent = recent.filter((batch) => batch.at > at - RECENT_WINDOW_MS);
    // The newest MAX_RECENT_DURATIONS of the window, sorted as numbers (a typed array's sort: the
    // agent's sort((a, b) => a - b) order, several times faster).
    const batches: number[][] = [];
    let size = 0;
    for (let index = recent.length - 1; index >= 0 && size < MAX_RECENT_DURATIONS; index--) {
      const batch = recent[index]?.seconds.slice(-(MAX_RECENT_DURATIONS - size)) ?? [];
      batches.push(batch);
      size += batch.length;
    }
    // Without recent tasks the collector falls back to the cumulative histogram; stable nodes always serve.
    if (size === 0) throw new Error("direct scrape: no tasks in the recent window; use the real /metrics path");
    const window = new Float64Array(size);
    let offset = 0;
    for (const batch of batches) {
      window.set(batch, offset);
      offset += batch.length;
    }
    const p95Seconds = quantile(window.sort(), 0.95);
    const score = buildCapabilityReport({ run: capabilityRun, requested: null, now: new Date(at) })?.score ?? null;
    return {
      at: new Date(at),
      memoryBytes: telemetry.memoryBytes,
      memoryLimitBytes: telemetry.memoryLimitBytes,
      queueDepth: telemetry.queue.depth,
      p95Ms: p95Seconds * 1000,
      tasksProcessedTotal: counters.processed,
      errorsTotal: counters.errors,
      tokensSpentTotal: counters.tokens,
      evalScore: score !== null && score >= 0 && score <= 1 ? score : null,
    };
  };
}
