import type { AuditEventView } from "@/lib/audit/audit-event-view";
import type { PlanDetail } from "./plan-detail-view";

export interface GanttBar {
  stepId: string;
  nodeName: string;
  kind: string;
  status: string;
  /** Offsets on the shared axis, 0..1. */
  left: number;
  width: number;
  label: string;
}

export interface TimelineMarker {
  at: number;
  position: number;
  label: string;
  tone: "approval" | "gate" | "rollback" | "control";
}

const MARKER_KINDS: Record<string, TimelineMarker["tone"]> = {
  "plan.approved": "approval",
  "plan.approval_given": "approval",
  "step.activated": "approval",
  "gate.tripped": "gate",
  "bookmark.restore_requested": "rollback",
  "bookmark.restored": "rollback",
  "plan.paused": "control",
  "plan.resumed": "control",
  "plan.aborted": "control",
};

/**
 * Lays a plan's steps out on one time axis: a bar per step from start to finish (running steps
 * extend to `now`), and a marker per approval, gate trip, rollback and pause. Pure, so the page
 * only renders what this computes.
 */
export function planTimelineLayout(plan: PlanDetail, events: readonly AuditEventView[], now: number) {
  const times = [
    ...plan.steps.flatMap((step) =>
      [step.startedAt, step.finishedAt].filter((value): value is string => value !== null).map((value) => Date.parse(value)),
    ),
    ...events.map((event) => Date.parse(event.at)),
  ];
  const start = times.length ? Math.min(...times) : Date.parse(plan.createdAt);
  const end = Math.max(start + 60_000, ...(times.length ? times : [start]), plan.status === "running" ? now : 0);
  const span = end - start;
  const position = (at: number) => Math.min(1, Math.max(0, (at - start) / span));
  const names = new Map(plan.nodes.map((node) => [node.id, node.name]));
  const bars: GanttBar[] = plan.steps
    .filter((step) => step.startedAt !== null)
    .map((step) => {
      const from = Date.parse(step.startedAt!);
      const to = step.finishedAt ? Date.parse(step.finishedAt) : now;
      return {
        stepId: step.id,
        nodeName: names.get(step.nodeId) ?? step.nodeId,
        kind: step.kind,
        status: step.status,
        left: position(from),
        width: Math.max(0.004, position(to) - position(from)),
        label: `${step.kind} on ${names.get(step.nodeId) ?? "?"}: ${step.status}, ${Math.round((to - from) / 100) / 10} s${step.activatedBy ? `, activated by ${step.activatedBy}` : ""}`,
      };
    });
  const markers: TimelineMarker[] = events.flatMap((event) => {
    const tone = MARKER_KINDS[event.kind];
    if (!tone) return [];
    const at = Date.parse(event.at);
    return [{ at, position: position(at), tone, label: `${event.kind}${event.actorEmail ? ` by ${event.actorEmail}` : ""}` }];
  });
  return { start, end, rows: plan.nodes.map((node) => node.name), bars, markers };
}
