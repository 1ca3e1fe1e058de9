import { median } from "simple-statistics";
import { ANALYSIS_METRIC_KEYS, ANALYSIS_METRICS, type AnalysisMetricKey } from "./analysis-metrics";
import type { MetricPoint, NodeSeries } from "./metric-series-from-samples";

/** A node's typical value of each metric over its reference period. */
export type ReferenceLevels = Partial<Record<AnalysisMetricKey, number>>;

function level(points: readonly MetricPoint[] | undefined, key: AnalysisMetricKey): number | null {
  const finite = (points ?? []).filter((point) => Number.isFinite(point.v) && (point.w === undefined || Number.isFinite(point.w)));
  if (finite.length === 0) return null;
  if (ANALYSIS_METRICS[key].center === "median") return median(finite.map((point) => point.v));
  const weights = finite.reduce((sum, point) => sum + (point.w ?? 1), 0);
  return weights > 0 ? finite.reduce((sum, point) => sum + point.v * (point.w ?? 1), 0) / weights : null;
}

/** Each node's reference level per metric, from its samples over the reference period. */
export function referenceLevels(reference: readonly NodeSeries[]): Map<string, ReferenceLevels> {
  return new Map(
    reference.map((node) => [
      node.nodeId,
      Object.fromEntries(
        ANALYSIS_METRIC_KEYS.flatMap((key) => {
          const value = level(node.series[key], key);
          return value === null ? [] : [[key, value]];
        }),
      ) as ReferenceLevels,
    ]),
  );
}

/**
 * Judges every node against its own history before it is compared with the others: a
 * difference-in-differences. Fleets are not uniform (one host spends twice the tokens per task of
 * another because of what its customers ask; one runs 10 % hotter), and comparing a canary with
 * other hosts as they are would call that a regression. So each node's samples are moved by its
 * own offset from the fleet's typical level over the reference period (the window before the plan
 * started, every node on the old release): scaled for relative metrics, shifted for absolute
 * ones. A canary that behaves as it always did then reads exactly like the baseline, and a change
 * reads as the change, in the metric's own unit. Nodes or metrics without reference data are left
 * as they are.
 */
export function adjustToOwnHistory(nodes: readonly NodeSeries[], levels: ReadonlyMap<string, ReferenceLevels>): NodeSeries[] {
  const typical: ReferenceLevels = {};
  for (const key of ANALYSIS_METRIC_KEYS) {
    const own = nodes.flatMap((node) => {
      const value = levels.get(node.nodeId)?.[key];
      return value === undefined ? [] : [value];
    });
    if (own.length > 0) typical[key] = median(own);
  }
  return nodes.map((node) => {
    const series: NodeSeries["series"] = {};
    for (const key of ANALYSIS_METRIC_KEYS) {
      const points = node.series[key];
      if (!points) continue;
      const own = levels.get(node.nodeId)?.[key];
      const fleet = typical[key];
      if (own === undefined || fleet === undefined) {
        series[key] = points;
      } else if (ANALYSIS_METRICS[key].tolerance === "relative") {
        // A node with no level of its own (zero) cannot be scaled; leave it as it is.
        series[key] = own > 0 ? points.map((point) => ({ ...point, v: (point.v * fleet) / own })) : points;
      } else {
        series[key] = points.map((point) => ({ ...point, v: point.v - own + fleet }));
      }
    }
    return { ...node, series };
  });
}
