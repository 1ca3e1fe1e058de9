// One canary plan on a simulated fleet, entirely in-process on a fake clock: real sim drivers, the
// agent's real /metrics (createAgentMetrics) parsed the way the collector parses a scrape
// (summarizeAgentMetrics), and the engine's looks (lib/server/plans/judge-plan-canary.ts) through
// the same pure analysePlanCohorts. Nothing waits: the clock jumps 15 s per collector round.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { defaultSimLock, createSimDriver, type SimDriver } from "@/lib/agent/drivers/sim/create-sim-driver";
import { simFaultMapSchema, type SimFault, type SimFaultMap } from "@/lib/agent/drivers/sim/sim-faults-schema";
import type { StepContext } from "@/lib/agent/drivers/agent-driver";
import { createAgentMetrics } from "@/lib/agent/metrics/create-agent-metrics";
import {
  FIRST_BEFORE_WIDEN_MS,
  TREND_MIN_POINTS,
  WARM_UP_MS,
  analysePlanCohorts,
  analysisAction,
  type AnalysisAction,
  type AnalysisPhase,
  type AnalysisResult,
  type CohortSample,
} from "@/lib/analysis";
import { summarizeAgentMetrics } from "@/lib/fleet/summarize-agent-metrics";
import { createDirectAgentScrape } from "./direct-agent-scrape";
import { planAnalysisConfig } from "@/lib/plans/plan-analysis-config";

const MINUTE_MS = 60_000;
/** The collector's round. */
export const SAMPLE_EVERY_MS = 15_000;
/** The engine's watch rate (judge-plan-canary.ts). */
const WATCH_EVERY_MS = MINUTE_MS;

export type CanaryPlanShape = {
  baselineNodes: number;
  /** Samples of every node on the old release before the plan started (the own-history reference). */
  referenceMs: number;
  /** The canary wave's hold after its widen. */
  holdMs: number;
  /** The next wave's hold: with this wave's, the trend projection's horizon (horizonMsFor). */
  nextHoldMs: number;
  /** How long after the canary's restart the run is watched. */
  planMs: number;
};

export type LookRecord = { phase: AnalysisPhase; minute: number; action: AnalysisAction; result: AnalysisResult };

export type CanaryPlanOutcome = {
  /** Minutes from the canary's restart to the first look that paused or rolled back; null when none did. */
  detectedAfterMin: number | null;
  /** That look. */
  stoppedBy: LookRecord | null;
  looks: number;
};

const NEW_CORE = "2026.11.3";
const OLD_CORE = defaultSimLock.core;
const EPOCH = Date.UTC(2026, 11, 1, 8, 0, 0);

const ctx: StepContext = { signal: new AbortController().signal, log: () => undefined };

type SimNode = { id: string; driver: SimDriver; render: () => Promise<string>; samples: CohortSample[] };

async function startNode(dir: string, id: string, seed: number, faults: SimFaultMap, now: () => number): Promise<SimNode> {
  await mkdir(path.join(dir, id));
  // speed 1e9: the driver's step sleeps are ~0 ms; the fake clock does not move during them.
  const driver = await createSimDriver({ stateDir: path.join(dir, id), seed, speed: 1e9, faults, now });
  const metrics = createAgentMetrics(driver, { now });
  return { id, driver, render: () => metrics.render(), samples: [] };
}

/** One collector round for a node: its /metrics, parsed as the collector parses it, as the row it stores. */
async function collectFrom(node: SimNode, at: number): Promise<void> {
  const summary = summarizeAgentMetrics(await node.render());
  node.samples.push({
    at: new Date(at),
    memoryBytes: summary.memoryBytes,
    memoryLimitBytes: summary.memoryLimitBytes,
    queueDepth: summary.queueDepth,
    p95Ms: summary.p95Ms,
    tasksProcessedTotal: summary.tasksProcessedTotal,
    errorsTotal: summary.errorsTotal,
    tokensSpentTotal: summary.tokensSpentTotal,
    evalScore: summary.evalScore,
  });
}

function startClock(seed: number): number {
  return EPOCH + (seed % 1000) * 7_919; // a different phase of the traffic waves per seed
}

/** The stable nodes of a seed never take part in the plan: their samples are the same whatever the canary runs, so scenarios share them. */
export type StableNodes = { seed: number; nodes: { id: string; samples: CohortSample[] }[] };

/**
 * Every collector row of the seed's stable nodes over the reference window and the whole plan,
 * through createDirectAgentScrape (the agent's /metrics arithmetic without the exposition round
 * trip). With `verify`, every row is also taken through the real /metrics and summarizeAgentMetrics
 * and must be identical.
 */
export async function simulateStableNodes(seed: number, shape: CanaryPlanShape, options: { verify?: boolean } = {}): Promise<StableNodes> {
  let clock = startClock(seed);
  const now = () => clock;
  const dir = await mkdtemp(path.join(os.tmpdir(), "rollbook-analysis-bench-"));
  const nodes: (SimNode & { direct: () => Promise<CohortSample> })[] = [];
  try {
    for (let index = 1; index <= shape.baselineNodes; index++) {
      const node = await startNode(dir, `stable-${index}`, seed * 16 + index, {}, now);
      nodes.push({ ...node, direct: createDirectAgentScrape(node.driver, now) });
    }
    const end = clock + shape.referenceMs + shape.planMs;
    while (clock <= end) {
      for (const node of nodes) {
        const row = await node.direct();
        if (options.verify) {
          await collectFrom(node, clock);
          const real = node.samples.pop();
          if (JSON.stringify(real) !== JSON.stringify(row)) {
            throw new Error(`direct scrape differs from /metrics for ${node.id}: ${JSON.stringify(row)} vs ${JSON.stringify(real)}`);
          }
        }
        node.samples.push(row);
      }
      clock += SAMPLE_EVERY_MS;
    }
    return { seed, nodes: nodes.map((node) => ({ id: node.id, samples: node.samples })) };
  } finally {
    for (const node of nodes) await node.driver.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Runs one plan: `referenceMs` of samples on the old release, then the canary is drained,
 * installed and restarted on NEW_CORE (carrying `fault`, or healthy), and looked at the way the
 * engine does until the first stop or `planMs` after the restart. `seed` picks every node's
 * profile (rate, memory, GC phase, task durations, capability probes).
 */
export async function simulateCanaryPlan(options: {
  fault: SimFault | null;
  shape: CanaryPlanShape;
  stable: StableNodes;
  /** What-if for the engine's look timing: no look (formal or watch) before this long after the restart. */
  firstLookAfterMs?: number;
}): Promise<CanaryPlanOutcome> {
  const { shape, stable } = options;
  const seed = stable.seed;
  let clock = startClock(seed);
  const now = () => clock;
  const faults = simFaultMapSchema.parse(options.fault ? { [NEW_CORE]: options.fault } : {});
  const dir = await mkdtemp(path.join(os.tmpdir(), "rollbook-analysis-bench-"));
  const nodes: SimNode[] = [];
  try {
    nodes.push(await startNode(dir, "canary-1", seed * 16, faults, now));
    const stableSamples = stable.nodes.map((node) => ({ ...node, samples: [] as CohortSample[], all: node.samples }));
    const collect = async () => {
      await collectFrom(nodes[0]!, clock);
      for (const node of stableSamples) {
        const row = node.all[node.samples.length];
        if (row?.at.getTime() !== clock) throw new Error("stable nodes and canary are out of step");
        node.samples.push(row);
      }
    };
    for (const node of stableSamples)
      nodes.push({ id: node.id, driver: null as never, render: () => Promise.reject(new Error("stable")), samples: node.samples });

    // Reference window on the old release.
    const referenceEnd = clock + shape.referenceMs;
    while (clock < referenceEnd) {
      await collect();
      clock += SAMPLE_EVERY_MS;
    }
    const planStartedAt = new Date(clock);
    const reference = { endedAt: planStartedAt, samples: nodes.map((node) => ({ nodeId: node.id, samples: [...node.samples] })) };

    // The canary's upgrade, through the driver's own steps (what the agent's upgrade operation calls).
    const canary = nodes[0]!;
    await canary.driver.setLbState({ drained: true }, ctx);
    await canary.driver.writeLockfile({ ...defaultSimLock, core: NEW_CORE }, ctx);
    await canary.driver.installCore(NEW_CORE, ctx);
    await canary.driver.migrate(ctx);
    await canary.driver.restart(ctx);
    await canary.driver.runCapabilityChecks(null, ctx);
    if (canary.driver.readState().installed.core !== NEW_CORE || OLD_CORE === NEW_CORE) throw new Error("the canary did not upgrade");
    const restartedAt = new Date(clock);
    let widenedAt: Date | null = null;

    const config = planAnalysisConfig({ analysis: {}, guardrails: {} });
    const windowMs = config.windowMinutes * MINUTE_MS;
    const horizonMs = shape.holdMs + shape.nextHoldMs;
    let lastWatchAt = 0;
    let beforeWidenDone = false;
    let endOfHoldDone = false;
    let looks = 0;

    const look = (phase: AnalysisPhase): LookRecord => {
      looks++;
      const from = clock - windowMs;
      const inWindow = (node: SimNode) => node.samples.filter((row) => row.at.getTime() >= from && row.at.getTime() <= clock);
      const result = analysePlanCohorts({
        phase,
        now: new Date(clock),
        config,
        horizonMs,
        canary: [{ nodeId: canary.id, restartedAt, widenedAt, samples: inWindow(canary) }],
        baseline: nodes.slice(1).map((node) => ({ nodeId: node.id, samples: inWindow(node) })),
        reference,
        timeScale: 1,
      });
      return {
        phase,
        minute: (clock - restartedAt.getTime()) / MINUTE_MS,
        action: analysisAction({ phase, decision: result.decision, autoRollback: true }),
        result,
      };
    };
    const observedSince = (since: Date) =>
      canary.samples.filter((row) => row.at.getTime() >= since.getTime() + WARM_UP_MS).length >= TREND_MIN_POINTS;
    const stop = (record: LookRecord): CanaryPlanOutcome => ({ detectedAfterMin: record.minute, stoppedBy: record, looks });

    const planEnd = restartedAt.getTime() + shape.planMs;
    const firstLookAt = restartedAt.getTime() + (options.firstLookAfterMs ?? 0);
    while (clock <= planEnd) {
      await collect();
      if (clock < firstLookAt) {
        clock += SAMPLE_EVERY_MS;
        continue;
      }
      // The engine's tick, in its order: end of hold, before widen, watch.
      if (widenedAt && !endOfHoldDone && widenedAt.getTime() + shape.holdMs <= clock && observedSince(widenedAt)) {
        endOfHoldDone = true;
        const record = look("end_of_hold");
        if (record.action !== "widen") return stop(record);
      }
      if (!beforeWidenDone && observedSince(restartedAt) && clock >= restartedAt.getTime() + FIRST_BEFORE_WIDEN_MS) {
        beforeWidenDone = true;
        const record = look("before_widen");
        if (record.action !== "widen") return stop(record);
        // The widen: back to full weight in the load balancer.
        await canary.driver.setLbState({ drained: false, weight: 100 }, ctx);
        widenedAt = new Date(clock);
      }
      if (lastWatchAt + WATCH_EVERY_MS <= clock) {
        lastWatchAt = clock;
        const record = look("watch");
        if (record.action === "pause" || record.action === "rollback") return stop(record);
      }
      clock += SAMPLE_EVERY_MS;
    }
    return { detectedAfterMin: null, stoppedBy: null, looks };
  } finally {
    await nodes[0]?.driver.close();
    await rm(dir, { recursive: true, force: true });
  }
}
