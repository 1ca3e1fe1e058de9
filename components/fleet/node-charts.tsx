"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { MetricChart } from "@/components/charts/metric-chart";
import { METRIC_ALERT_LINES, METRIC_RANGES, type MetricPoint, type MetricRange } from "@/lib/fleet/metric-range";
import { fetchJson } from "@/lib/http/fetch-json";
import { queryKeys } from "@/lib/query-keys";

const GB = 1024 ** 3;

/** Memory, queue, throughput and latency for one node over a chosen range, refreshed live. */
export function NodeCharts({ nodeId, range }: { nodeId: string; range: MetricRange }) {
  const { data, error } = useQuery({
    queryKey: queryKeys.fleet.metrics(nodeId, range),
    queryFn: async () => (await fetchJson<{ points: MetricPoint[] }>(`/api/nodes/${nodeId}/metrics?range=${range}`)).points,
    refetchInterval: 15_000,
  });
  const points = data ?? [];
  const limitGb = points.findLast((point) => point.memoryLimitBytes !== null)?.memoryLimitBytes ?? null;
  const memory = points.map((point) => ({
    t: point.t,
    memory: point.memoryBytes === null ? null : point.memoryBytes / GB,
    limit: point.memoryLimitBytes === null ? null : point.memoryLimitBytes / GB,
  }));
  const multiDay = range === "7d";
  return (
    <section aria-labelledby="charts-heading" className="space-y-3">
      <div className="flex items-center gap-3">
        <h2 id="charts-heading" className="font-semibold">
          Metrics
        </h2>
        <nav aria-label="Chart range" className="flex gap-1">
          {(Object.keys(METRIC_RANGES) as MetricRange[]).map((option) => (
            <Link
              key={option}
              href={`?range=${option}`}
              aria-current={option === range ? "page" : undefined}
              scroll={false}
              className={`rounded px-2 py-0.5 text-xs font-medium ${option === range ? "bg-slate-900 text-white" : "bg-white text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"}`}
            >
              {option}
            </Link>
          ))}
        </nav>
        {error && (
          <span role="alert" className="text-xs text-rose-700">
            Refresh failed: {error.message}
          </span>
        )}
        <span className="ml-auto text-xs text-slate-500">{points.length} points</span>
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <MetricChart
          title="Memory (GB)"
          data={memory}
          unit=" GB"
          multiDay={multiDay}
          series={[
            { key: "memory", label: "memory", color: "#4f46e5" },
            { key: "limit", label: "limit", color: "#64748b", dashed: true },
          ]}
          alertLine={limitGb === null ? undefined : (limitGb / GB) * (METRIC_ALERT_LINES.memoryPercent / 100)}
          alertLabel="75% of limit"
        />
        <MetricChart
          title="Queue depth"
          data={points.map((point) => ({ t: point.t, queue: point.queueDepth }))}
          unit=""
          multiDay={multiDay}
          series={[{ key: "queue", label: "queued tasks", color: "#0891b2" }]}
          alertLine={METRIC_ALERT_LINES.queueDepth}
        />
        <MetricChart
          title="Tasks per minute"
          data={points.map((point) => ({ t: point.t, tasks: point.tasksPerMinute }))}
          unit="/min"
          multiDay={multiDay}
          series={[{ key: "tasks", label: "tasks/min", color: "#16a34a" }]}
        />
        <MetricChart
          title="p95 latency (ms)"
          data={points.map((point) => ({ t: point.t, p95: point.p95Ms }))}
          unit=" ms"
          multiDay={multiDay}
          series={[{ key: "p95", label: "p95", color: "#d97706" }]}
          alertLine={METRIC_ALERT_LINES.p95Ms}
          // Healthy latency sits well below the limit: show the limit anyway, it says how far away it is.
          showAlertLine
        />
      </div>
    </section>
  );
}
