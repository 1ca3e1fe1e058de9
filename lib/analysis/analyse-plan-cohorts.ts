import { adjustToOwnHistory, referenceLevels } from "./adjust-to-own-history";
import type { EffectiveAnalysisConfig } from "./analysis-config-schema";
import { ANALYSIS_METRIC_KEYS, ANALYSIS_METRICS } from "./analysis-metrics";
import { metricSeriesFromSamples, type NodeSeries, type RawMetricSample } from "./metric-series-from-samples";
import { TREND_MIN_SPAN_MINUTES } from "./project-trend-crossing";
import { runCanaryAnalysis, type AnalysisResult } from "./run-canary-analysis";
import type { AnalysisPhase } from "./score-analysis";

/** A collector row with the capability score that rides along in each scrape. */
export type CohortSample = RawMetricSample & { evalScore?: number | null };

/** A canary node as the plan knows it: when it came back on the new release, and when it took traffic again. */
export interface CanaryNodeSamples {
  nodeId: string;
  restartedAt: Date;
  /** null while it is still drained. */
  widenedAt: Date | null;
  samples: readonly CohortSample[];
  /** Why this node's samples cannot speak for it now (its source failed): every metric is inconclusive. */
  problems?: readonly string[];
}

export interface BaselineNodeSamples {
  nodeId: string;
  samples: readonly CohortSample[];
  /** A fresh baseline's restart (lib/plans/fresh-baseline.ts): its samples count from then plus warm-up, like the canary's. */
  restartedAt?: Date;
}

/** A canary's first minute after its restart (or widen) is warm-up (caches filling), not behaviour. */
export const WARM_UP_MS = 60_000;

/**
 * The look before a canary's widen comes no sooner than this after its restart (fleet time): the
 * trend test needs a span longer than a garbage-collection cycle (TREND_MIN_SPAN_MINUTES), and an
 * earlier look would judge the first half-cycle. The watch's limits run from the first minute.
 */
export const FIRST_BEFORE_WIDEN_MS = 10 * 60_000;

/**
 * A node's history before the plan counts for the own-history adjustment only when it spans at
 * least this (fleet time): a shorter one catches a heap somewhere on its garbage-collection
 * sawtooth or traffic somewhere on its wave, and "its typical level" would be off by more than
 * the tolerances the judge then applies (memory +10 %).
 */
export const REFERENCE_MIN_SPAN_MS = TREND_MIN_SPAN_MINUTES * 60_000;

export interface AnalysePlanCohortsInput {
  phase: AnalysisPhase;
  now: Date;
  /** The plan's effective settings (planAnalysisConfig). */
  config: EffectiveAnalysisConfig;
  /** How far ahead a projected crossing matters, in fleet time. */
  horizonMs: number;
  canary: readonly CanaryNodeSamples[];
  baseline: readonly BaselineNodeSamples[];
  /** Every node's samples over the window before the plan started, for the own-history adjustment; null for none. */
  reference: { endedAt: Date; samples: readonly BaselineNodeSamples[] } | null;
  /**
   * 1 for real fleets. For a simulated fleet on a compressed clock (--time-scale), sample ages are
   * stretched by it so that windows, slopes and horizons read in the fleet's time.
   */
  timeScale: number;
}

function nodeSeries(nodeId: string, rows: readonly CohortSample[]): NodeSeries {
  return metricSeriesFromSamples({ nodeId, samples: rows, evalScores: rows.map((row) => ({ at: row.at, score: row.evalScore ?? null })) });
}

function onFleetClock(rows: readonly CohortSample[], now: Date, scale: number): CohortSample[] {
  if (scale === 1) return [...rows];
  const nowMs = now.getTime();
  return rows.map((row) => ({ ...row, at: new Date(nowMs - (nowMs - row.at.getTime()) * scale) }));
}

function pick(node: NodeSeries, traffic: boolean): NodeSeries["series"] {
  return Object.fromEntries(
    Object.entries(node.series).filter(([key]) => ANALYSIS_METRICS[key as keyof typeof ANALYSIS_METRICS].needsTraffic === traffic),
  );
}

/**
 * One look at a plan's canary, from what the collector stored: the plan-aware half of the judge,
 * shared by the engine (lib/server/plans/run-plan-analysis.ts) and the analysis benchmark.
 * - A canary's samples count from its restart (plus warm-up); its task metrics (latency, errors,
 *   throughput, tokens) only from its widen, because a drained node serves nothing. A look before
 *   any canary took traffic does not require those metrics.
 * - Every node is compared with its own history before the plan started (adjustToOwnHistory);
 *   limits and trends read the canary's raw values.
 */
export function analysePlanCohorts(input: AnalysePlanCohortsInput): AnalysisResult {
  const { now, timeScale } = input;
  const warmUp = WARM_UP_MS / timeScale;
  const afterWarmUp = (rows: readonly CohortSample[], since: Date) => rows.filter((row) => row.at.getTime() >= since.getTime() + warmUp);
  const canary = input.canary.map((node) => {
    const sinceRestart = afterWarmUp(node.samples, node.restartedAt);
    const all = {
      ...nodeSeries(node.nodeId, onFleetClock(sinceRestart, now, timeScale)),
      errors: (node.problems ?? []).map((message) => ({ message })),
    };
    if (!node.widenedAt) return { ...all, series: pick(all, false) };
    const served = nodeSeries(node.nodeId, onFleetClock(afterWarmUp(sinceRestart, node.widenedAt), now, timeScale));
    return { ...all, series: { ...pick(all, false), ...pick(served, true) } };
  });
  const baseline = input.baseline.map((node) =>
    nodeSeries(node.nodeId, onFleetClock(node.restartedAt ? afterWarmUp(node.samples, node.restartedAt) : node.samples, now, timeScale)),
  );
  const fresh = input.baseline.some((node) => node.restartedAt);

  const config = structuredClone(input.config);
  if (!input.canary.some((node) => node.widenedAt)) {
    for (const key of ANALYSIS_METRIC_KEYS) if (ANALYSIS_METRICS[key].needsTraffic) config.metrics[key].mustHaveData = false;
  }

  const adjusted = input.reference ? ownHistoryComparison(canary, baseline, input.reference, timeScale) : undefined;
  const freshNote = "the baseline is a fresh baseline, restarted with the canary";
  const compare = fresh
    ? { ...(adjusted ?? { canary, baseline }), basis: adjusted ? `${adjusted.basis}; ${freshNote}` : freshNote }
    : adjusted;

  return runCanaryAnalysis({
    canary,
    baseline,
    config,
    now,
    horizonMs: input.horizonMs,
    phase: input.phase,
    ...(compare ? { compare } : {}),
  });
}

function spanMs(rows: readonly CohortSample[]): number {
  if (rows.length < 2) return 0;
  return rows[rows.length - 1]!.at.getTime() - rows[0]!.at.getTime();
}

const minutes = (ms: number) => `${Math.round(ms / 6_000) / 10} min`;

/**
 * The cohorts adjusted to each node's own history (adjustToOwnHistory). Every canary needs a
 * history of REFERENCE_MIN_SPAN_MS, and at least one baseline node: without it hosts cannot be
 * compared fairly (one runs 20 % hotter, another spends twice the tokens per task, as they always
 * did), and comparing them as measured would fail a healthy canary or pass a bad one by chance, so
 * the comparison is refused (`notComparable`: every metric inconclusive, the plan waits for an
 * approver) while limits and trends, which read the canary alone, still run. Baseline nodes without
 * one (new to the fleet) are left out of the adjusted comparison.
 */
function ownHistoryComparison(
  canary: readonly NodeSeries[],
  baseline: readonly NodeSeries[],
  reference: NonNullable<AnalysePlanCohortsInput["reference"]>,
  timeScale: number,
): { canary: NodeSeries[]; baseline: NodeSeries[]; basis: string; notComparable?: string } {
  const { endedAt } = reference;
  const history = new Map(reference.samples.map((node) => [node.nodeId, onFleetClock(node.samples, endedAt, timeScale)]));
  const spanOf = (nodeId: string) => spanMs(history.get(nodeId) ?? []);
  const shortest = Math.min(...canary.map((node) => spanOf(node.nodeId)));
  const asMeasured = (why: string) => ({ canary: [...canary], baseline: [...baseline], basis: "as measured", notComparable: why });
  if (canary.length === 0 || shortest < REFERENCE_MIN_SPAN_MS) {
    return asMeasured(
      `the canary has ${minutes(shortest)} of history before the plan started, and comparing it with other hosts needs ${minutes(REFERENCE_MIN_SPAN_MS)} of each one's own history`,
    );
  }
  const withHistory = baseline.filter((node) => spanOf(node.nodeId) >= REFERENCE_MIN_SPAN_MS);
  const leftOut = baseline.length - withHistory.length;
  if (baseline.length > 0 && withHistory.length === 0) {
    return asMeasured(
      `no baseline node has ${minutes(REFERENCE_MIN_SPAN_MS)} of history before the plan started, which comparing hosts fairly needs`,
    );
  }
  const levels = referenceLevels([...canary, ...withHistory].map((node) => nodeSeries(node.nodeId, history.get(node.nodeId) ?? [])));
  const adjusted = adjustToOwnHistory([...canary, ...withHistory], levels);
  const note =
    leftOut > 0
      ? `; ${leftOut} baseline node${leftOut === 1 ? "" : "s"} with less than ${minutes(REFERENCE_MIN_SPAN_MS)} of history left out`
      : "";
  return {
    canary: adjusted.slice(0, canary.length),
    baseline: adjusted.slice(canary.length),
    basis: `each node adjusted to its own history before the plan started (${endedAt.toISOString()})${note}`,
  };
}
