// The analysis bench's unit of work: every scenario on a range of seeds, the stable nodes of each
// seed simulated once and shared by its scenarios. Run in-process or in a part process
// (analysis-bench-part.ts) so the bench can use every core.
import type { SimFault } from "@/lib/agent/drivers/sim/sim-faults-schema";
import { simulateCanaryPlan, simulateStableNodes, type CanaryPlanOutcome, type CanaryPlanShape } from "./simulate-canary-plan";

const MINUTE_MS = 60_000;

/** 1 canary + 4 stable nodes; the field note's first hold (30 min) before the 2 h one; watched for 2 h. */
export const ANALYSIS_BENCH_SHAPE: CanaryPlanShape = {
  baselineNodes: 4,
  referenceMs: 30 * MINUTE_MS,
  holdMs: 30 * MINUTE_MS,
  nextHoldMs: 120 * MINUTE_MS,
  planMs: 120 * MINUTE_MS,
};

export type AnalysisScenario = { name: string; fault: SimFault | null; goalMinutes?: number };

// The simulator's fault matrix at its defaults (sim-faults-schema.ts); `{}` parses to them.
export const ANALYSIS_SCENARIOS: AnalysisScenario[] = [
  { name: "healthy", fault: null },
  { name: "memory leak 2 → 8 GB / 4 h", fault: { memoryLeak: {} } as SimFault, goalMinutes: 10 },
  { name: "latency ×1.3", fault: { latencyRegression: {} } as SimFault },
  { name: "error rate +3 pp", fault: { errorRateRise: {} } as SimFault },
  { name: "token spend ×1.25", fault: { tokenSpendRise: {} } as SimFault },
  { name: "eval score 0.85", fault: { evalDrop: {} } as SimFault },
];

/** One plan's outcome, as plain JSON (it crosses a process boundary). */
export type SeedRun = { scenario: string; seed: number; detectedAfterMin: number | null; cause: string | null; wallMs: number };

/** What decided a stop, in a few words: the failing limit, trend or metric, and the look. */
function causeOf(outcome: CanaryPlanOutcome): string | null {
  const look = outcome.stoppedBy;
  if (!look) return null;
  const { result } = look;
  const parts = [
    ...result.limits.filter((limit) => limit.status === "breached").map((limit) => `${limit.key} limit`),
    ...result.trends.filter((trend) => trend.status === "fail").map((trend) => `${trend.key} trend`),
    ...result.metrics
      .filter((metric) => metric.verdict === "fail" || metric.verdict === "critical")
      .map((metric) => `${metric.key} ${metric.verdict}`),
  ];
  return `${look.phase}: ${parts.length > 0 ? parts.join(" + ") : result.decision}`;
}

/**
 * Every scenario on each of `seeds`. Seed 1's stable nodes are also taken through the agent's real
 * /metrics and must match the direct scrape row for row.
 */
export async function runAnalysisSeeds(seeds: readonly number[], firstLookAfterMs?: number): Promise<SeedRun[]> {
  const runs: SeedRun[] = [];
  for (const seed of seeds) {
    const stable = await simulateStableNodes(seed, ANALYSIS_BENCH_SHAPE, { verify: seed === 1 });
    for (const scenario of ANALYSIS_SCENARIOS) {
      const started = performance.now();
      const outcome = await simulateCanaryPlan({
        fault: scenario.fault,
        shape: ANALYSIS_BENCH_SHAPE,
        stable,
        ...(firstLookAfterMs === undefined ? {} : { firstLookAfterMs }),
      });
      runs.push({
        scenario: scenario.name,
        seed,
        detectedAfterMin: outcome.detectedAfterMin,
        cause: causeOf(outcome),
        wallMs: performance.now() - started,
      });
    }
  }
  return runs;
}
