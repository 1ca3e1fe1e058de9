"use client";

import { useQuery } from "@tanstack/react-query";
import { MetricChart } from "@/components/charts/metric-chart";
import type { TrendResult } from "@/lib/analysis";
import { fetchJson } from "@/lib/http/fetch-json";
import { COHORT_METRICS, type PlanCohorts } from "@/lib/plans/plan-cohorts-view";
import type { PlanAnalysisRunView } from "@/lib/plans/plan-detail-view";
import { queryKeys } from "@/lib/query-keys";

const PROJECTION = "projection";

/** The trend of a metric that reaches its limit soonest (fail or rising with a crossing), if any. */
function soonestCrossing(run: PlanAnalysisRunView | undefined, key: string): TrendResult | undefined {
  return run?.result.trends
    .filter(
      (trend) =>
        trend.key === key && trend.crossing !== null && trend.level !== null && (trend.status === "fail" || trend.status === "rising"),
    )
    .toSorted((a, b) => a.crossing!.inMinutes - b.crossing!.inMinutes)[0];
}

/**
 * The chart rows with the projected line added: from the trend's fitted level at the look to the
 * limit at the projected crossing (fleet minutes turned back into wall-clock time). Each end goes
 * on the nearest existing row when there is one, so the cohort lines keep no false gaps.
 */
function withProjection(series: PlanCohorts["series"], bucketMs: number, run: PlanAnalysisRunView, trend: TrendResult, timeScale: number) {
  const rows = series.map((row) => ({ ...row }));
  const at = new Date(run.at).getTime();
  const crossingAt = at + (trend.crossing!.inMinutes * 60_000) / timeScale;
  const level = trend.level!;
  const limit = trend.limit ?? level;
  // A crossing far beyond the data would squeeze the measured lines into a corner: the line stops
  // one charted span (at least ten buckets) past the data, at the value it would have there.
  const times = series.map((row) => row.t ?? 0);
  const first = Math.min(at, ...times);
  const last = Math.max(at, ...times);
  const stopAt = Math.min(crossingAt, last + Math.max(last - first, 10 * bucketMs));
  const ends = [
    { t: at, value: level },
    { t: stopAt, value: crossingAt > at ? level + ((limit - level) * (stopAt - at)) / (crossingAt - at) : limit },
  ];
  for (const end of ends) {
    const near = rows.find((row) => Math.abs((row.t ?? 0) - end.t) <= bucketMs / 2);
    if (near) near[PROJECTION] = end.value;
    else rows.push({ t: end.t, [PROJECTION]: end.value });
  }
  return rows.toSorted((a, b) => (a.t ?? 0) - (b.t ?? 0));
}

/**
 * Canary against stable: the same metrics overlaid, each with its safety limit from the latest
 * analysis's settings and, where that analysis found a worsening trend, its projection to the limit.
 * The verdicts themselves are the analysis runs' (AnalysisHistory).
 */
export function CohortComparison({
  planId,
  live,
  latestRun,
  timeScale,
}: {
  planId: string;
  live: boolean;
  latestRun: PlanAnalysisRunView | undefined;
  timeScale: number;
}) {
  const { data } = useQuery({
    queryKey: queryKeys.plans.cohorts(planId),
    queryFn: async () => (await fetchJson<{ cohorts: PlanCohorts }>(`/api/plans/${planId}/cohorts`)).cohorts,
    refetchInterval: live ? 2_000 : false,
  });
  if (!data) return null;
  const shortSpan = data.to - data.from < 15 * 60_000;
  return (
    <section aria-labelledby="cohorts-heading" className="space-y-3">
      <h2 id="cohorts-heading" className="font-semibold">
        Canary vs stable
      </h2>
      <p className="text-xs text-slate-500">
        Canary: {data.canaryNodes.join(", ") || "none restarted on the new release yet"} · Stable: {data.stableNodes.length} nodes on the
        starting release · cohort averages per{" "}
        {timeScale === 1 ? "minute" : `fleet minute (${Math.round(data.bucketMs / 100) / 10} s at time scale ${timeScale})`}
      </p>
      <div className="grid gap-4 lg:grid-cols-3">
        {COHORT_METRICS.map((metric) => {
          const limit = latestRun?.result.config.metrics[metric.key].limit ?? undefined;
          const trend = soonestCrossing(latestRun, metric.key);
          const rows = latestRun && trend ? withProjection(data.series, data.bucketMs, latestRun, trend, timeScale) : data.series;
          return (
            <MetricChart
              key={metric.key}
              title={`${metric.label}: canary vs stable`}
              data={rows}
              unit={metric.unit}
              seconds={shortSpan}
              legend
              showAlertLine={metric.unit === "%"}
              {...(limit !== undefined ? { alertLine: limit, alertLabel: `limit ${limit}${metric.unit}` } : {})}
              series={[
                { key: `canary_${metric.key}`, label: "canary", color: "#f59e0b" },
                { key: `stable_${metric.key}`, label: "stable", color: "#475569" },
                ...(trend
                  ? [{ key: PROJECTION, label: "projected to the limit", color: "#e11d48", dashed: true, connectNulls: true }]
                  : []),
              ]}
            />
          );
        })}
      </div>
    </section>
  );
}
