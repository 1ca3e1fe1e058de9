import { median } from "simple-statistics";
import { ANALYSIS_METRICS, type AnalysisMetricKey } from "./analysis-metrics";
import { formatMetricValue } from "./format-metric-value";
import type { MetricPoint } from "./metric-series-from-samples";

/** A node's level for the limit is the median of its latest this-many samples: one minute at 15 s. */
export const LIMIT_RECENT_SAMPLES = 4;

export type LimitStatus = "ok" | "breached" | "inconclusive" | "no_data";

export interface LimitCheck {
  key: AnalysisMetricKey;
  limit: number;
  /** breached beats inconclusive: one node over the limit is evidence enough, whatever the others sent. */
  status: LimitStatus;
  /** The canary node furthest in the bad direction, with its level. */
  worst: { nodeId: string; value: number } | null;
  reasons: string[];
}

export interface CheckSafetyLimitInput {
  key: AnalysisMetricKey;
  limit: number;
  /** Each canary node's samples of the metric within the window, and its provider errors. */
  nodes: readonly { nodeId: string; points: readonly MetricPoint[]; problems: readonly string[] }[];
}

/**
 * The absolute safety limits (memory 75 %, queue 500, p95 2,000 ms, eval ≥ 0.90, or the plan's own):
 * a canary node beyond one is a breach whatever the baseline does, because these are the levels at
 * which the field notes page someone. Each node's level is the median of its latest
 * LIMIT_RECENT_SAMPLES samples: one 15 s spike (a GC pause, a slow scrape) is not a breach, a
 * minute above the limit is. A level equal to the limit is within it, like every limit in Rollbook.
 */
export function checkSafetyLimit(input: CheckSafetyLimitInput): LimitCheck {
  const metric = ANALYSIS_METRICS[input.key];
  const { limit } = input;
  const sign = metric.badDirection === "increase" ? 1 : -1;
  const limitText = formatMetricValue(metric, limit);
  const breaches: string[] = [];
  const broken: string[] = [];
  let worst: LimitCheck["worst"] = null;
  let withData = 0;

  for (const node of input.nodes) {
    for (const problem of node.problems) broken.push(`${metric.label} on ${node.nodeId}: the data source failed: ${problem}`);
    const latest = [...node.points].sort((a, b) => a.t - b.t).slice(-LIMIT_RECENT_SAMPLES);
    if (latest.length === 0) continue;
    if (!latest.every((point) => Number.isFinite(point.v))) {
      broken.push(`${metric.label} on ${node.nodeId}: its latest samples include NaN or infinite values.`);
      continue;
    }
    withData++;
    const value = median(latest.map((point) => point.v));
    if (worst === null || sign * value > sign * worst.value) worst = { nodeId: node.nodeId, value };
    if (sign * value > sign * limit) {
      breaches.push(
        `${metric.label} on ${node.nodeId} is ${formatMetricValue(metric, value)} (median of its last ${latest.length} samples), ${sign > 0 ? "above the limit" : "below the minimum"} of ${limitText}.`,
      );
    }
  }

  if (breaches.length > 0) return { key: input.key, limit, status: "breached", worst, reasons: breaches };
  if (broken.length > 0) return { key: input.key, limit, status: "inconclusive", worst, reasons: broken };
  if (withData === 0) {
    return {
      key: input.key,
      limit,
      status: "no_data",
      worst,
      reasons: [`${metric.label}: no canary samples to check against ${limitText}.`],
    };
  }
  return {
    key: input.key,
    limit,
    status: "ok",
    worst,
    reasons: [
      `${metric.label}: every canary node within ${limitText} (worst ${formatMetricValue(metric, worst!.value)} on ${worst!.nodeId}).`,
    ],
  };
}
