import Link from "next/link";
import { notFound } from "next/navigation";
import { MetricChart } from "@/components/charts/metric-chart";
import { ExportButtons } from "@/components/timeline/export-buttons";
import { FilterableEventList } from "@/components/timeline/filterable-event-list";
import { PlanGantt } from "@/components/timeline/plan-gantt";
import { PageHeader } from "@/components/ui/page-header";
import { isAppError } from "@/lib/app-error";
import { getPlanTimelineOrThrow } from "@/lib/server/plans/get-plan-timeline";
import { requirePageUser } from "@/lib/server/session";

export default async function PlanTimelinePage({ params }: { params: Promise<{ planId: string }> }) {
  const user = await requirePageUser("viewer");
  const { planId } = await params;
  const { plan, events, layout, series } = await getPlanTimelineOrThrow({ actor: user, planId }).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  return (
    <>
      <PageHeader
        title={`Timeline: ${plan.title}`}
        description={`${plan.fromRelease.name} → ${plan.toRelease.name} · ${plan.status.replace("_", " ")}`}
        actions={
          <Link
            href={`/plans/${plan.id}`}
            className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium hover:bg-slate-50"
          >
            Back to plan
          </Link>
        }
      />
      <div className="space-y-6">
        <ExportButtons href={(format) => `/api/plans/${plan.id}/export?format=${format}`} />
        <PlanGantt rows={layout.rows} bars={layout.bars} markers={layout.markers} start={layout.start} end={layout.end} />
        <MetricChart
          title="Memory % of plan nodes (same time axis)"
          data={series}
          unit="%"
          domain={[layout.start, layout.end]}
          alertLine={75}
          series={[
            { key: "upgraded_memory", label: "on the new release", color: "#f59e0b" },
            { key: "old_memory", label: "on the old release", color: "#475569" },
          ]}
        />
        <FilterableEventList events={events} />
      </div>
    </>
  );
}
