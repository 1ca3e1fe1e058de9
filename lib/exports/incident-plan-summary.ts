import type { PlanDetail } from "@/lib/plans/plan-detail-view";

/**
 * The plan as an incident bundle carries it: the live plan page's data without what only makes
 * sense live (`can`, the viewer's permissions) or is already in the bundle (`events`).
 */
export type IncidentPlanSummary = Omit<PlanDetail, "events" | "can">;

export function toIncidentPlanSummary(plan: PlanDetail): IncidentPlanSummary {
  const { events: _events, can: _can, ...summary } = plan;
  return summary;
}
