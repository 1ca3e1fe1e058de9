import "server-only";
import { planTimelineLayout } from "@/lib/plans/plan-timeline-layout";
import { listPlanAuditEvents } from "../audit-log";
import type { SessionUser } from "../users";
import { getPlanDetailOrThrow } from "./get-plan-detail";
import { planMetricSeries } from "./plan-metric-series";

/** Everything the plan timeline page draws: the plan, its events, the Gantt layout and the aligned metrics. */
export async function getPlanTimelineOrThrow(options: { actor: SessionUser; planId: string }) {
  const plan = await getPlanDetailOrThrow(options);
  const events = await listPlanAuditEvents({ planId: plan.id, limit: 2_000 });
  const layout = planTimelineLayout(plan, events, Date.now());
  const series = await planMetricSeries({ planId: plan.id, from: new Date(layout.start), to: new Date(layout.end) });
  return { plan, events, layout, series };
}
