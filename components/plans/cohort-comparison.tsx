"use client";

import { useQuery } from "@tanstack/react-query";
import { MetricChart } from "@/components/charts/metric-chart";
import { DataTable } from "@/components/ui/data-table";
import { StatusBadge } from "@/components/ui/status-badge";
import { fetchJson } from "@/lib/http/fetch-json";
import { COHORT_METRICS, type PlanCohorts } from "@/lib/plans/plan-cohorts-view";
import { queryKeys } from "@/lib/query-keys";

const format = (value: number | null, digits = 1) => (value === null ? "—" : value.toFixed(digits));

/** Canary against stable: the same metrics overlaid, and the statistical verdict with its numbers. */
export function CohortComparison({ planId, live }: { planId: string; live: boolean }) {
  const { data } = useQuery({
    queryKey: queryKeys.plans.cohorts(planId),
    queryFn: async () => (await fetchJson<{ cohorts: PlanCohorts }>(`/api/plans/${planId}/cohorts`)).cohorts,
    refetchInterval: live ? 5_000 : false,
  });
  if (!data) return null;
  return (
    <section aria-labelledby="cohorts-heading" className="space-y-3">
      <h2 id="cohorts-heading" className="font-semibold">
        Canary vs stable (last {data.windowMinutes} min)
      </h2>
      <p className="text-xs text-slate-500">
        Canary: {data.canaryNodes.join(", ") || "none restarted on the new release yet"} · Stable: {data.stableNodes.length} nodes on the
        starting release
      </p>
      <DataTable
        label="Guardrail verdicts"
        columns={["Metric", "Verdict", "Canary median", "Stable median", "Mann-Whitney U", "p-value", "Why"]}
      >
        {data.verdicts.map((verdict) => (
          <tr key={verdict.metric}>
            <th scope="row" className="px-3 py-2 text-left font-medium">
              {COHORT_METRICS.find((metric) => metric.key === verdict.metric)?.label ?? verdict.metric}
            </th>
            <td className="px-3 py-2">
              <StatusBadge status={verdict.verdict === "pass" ? "succeeded" : verdict.verdict === "fail" ? "failed" : "pending"} />{" "}
              {verdict.verdict}
            </td>
            <td className="px-3 py-2 tabular-nums">{format(verdict.canaryMedian)}</td>
            <td className="px-3 py-2 tabular-nums">{format(verdict.stableMedian)}</td>
            <td className="px-3 py-2 tabular-nums">{format(verdict.u, 0)}</td>
            <td className="px-3 py-2 tabular-nums">{format(verdict.pValue, 4)}</td>
            <td className="px-3 py-2 text-xs text-slate-600">{verdict.reasons.join(" ")}</td>
          </tr>
        ))}
      </DataTable>
      <div className="grid gap-4 lg:grid-cols-3">
        {COHORT_METRICS.map((metric) => (
          <MetricChart
            key={metric.key}
            title={`${metric.label}: canary vs stable`}
            data={data.series}
            unit=""
            series={[
              { key: `canary_${metric.key}`, label: "canary", color: "#f59e0b" },
              { key: `stable_${metric.key}`, label: "stable", color: "#475569" },
            ]}
          />
        ))}
      </div>
    </section>
  );
}
