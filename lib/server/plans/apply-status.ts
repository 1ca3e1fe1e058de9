import "server-only";
import { AppError } from "@/lib/app-error";
import type { PlanStepMode } from "@/lib/plans/plan-step-kinds";
import { transitionPlan, type PlanEvent, type PlanStatus } from "@/lib/plans/transition-plan";
import { stepEventPlanStatuses, transitionStep, type StepEvent, type StepStatus } from "@/lib/plans/transition-step";
import type { DbTransaction } from "../db";

/**
 * The one way to change a plan's or a step's status. Each call reads the current status under a
 * row lock, asks the state machine of lib/plans for the next one, and writes it with a conditional
 * update from exactly the status it read, so a stale or duplicate job, a double click or a second
 * dashboard instance can only ever make a legal move from the state that really is there. The
 * database holds the same tables and refuses anything else (migration
 * 20261201200100_status_applier_and_recovery), and a unit test refuses code that writes these
 * columns anywhere but here.
 */

/** Columns that change together with a plan's status. */
export type PlanStatusFields = { statusReason?: string | null; startedAt?: Date; finishedAt?: Date | null };

/** Columns that change together with a step's status. */
export type StepStatusFields = {
  startedAt?: Date | null;
  finishedAt?: Date | null;
  error?: string | null;
  activatedById?: string | null;
  activatedAt?: Date | null;
  attempt?: number;
  timeoutAt?: Date | null;
};

export type Applied<S extends string> =
  { ok: true; from: S; to: S } | { ok: false; code: "not_found" | "illegal_transition" | "plan_state"; from: S | null; message: string };

/** Moves a plan by `event`; refused moves come back as `ok: false` with a message ready to show. */
export async function applyPlanEvent(
  tx: DbTransaction,
  options: { planId: string; event: PlanEvent; fields?: PlanStatusFields },
): Promise<Applied<PlanStatus>> {
  const rows = await tx.$queryRaw<{ status: PlanStatus }[]>`
    SELECT status::text AS status FROM "Plan" WHERE id = ${options.planId} FOR UPDATE`;
  const from = rows[0]?.status;
  if (!from) return { ok: false, code: "not_found", from: null, message: "No such plan." };
  const next = transitionPlan(from, options.event);
  if (!next.ok) return { ok: false, code: "illegal_transition", from, message: next.error.message };
  const written = await tx.plan.updateMany({
    where: { id: options.planId, status: from },
    data: { ...options.fields, status: next.status },
  });
  // Under the row lock nobody else can have moved it; a miss means the lock was not held.
  if (written.count !== 1) throw new AppError("internal", `Plan ${options.planId} changed status under its lock.`);
  return { ok: true, from, to: next.status };
}

/** Like {@link applyPlanEvent}, for people's requests: a refused move is a 409 that says why. */
export async function applyPlanEventOrThrow(
  tx: DbTransaction,
  options: { planId: string; event: PlanEvent; fields?: PlanStatusFields },
): Promise<{ from: PlanStatus; to: PlanStatus }> {
  const applied = await applyPlanEvent(tx, options);
  if (!applied.ok) throw new AppError(applied.code === "not_found" ? "not_found" : "conflict", applied.message);
  return applied;
}

/**
 * Moves a step by `event`, if both its own table and its plan's status allow it. The step row is
 * locked; the plan's status is read in the same statement, so callers that change both (abort,
 * retry) move the plan first and then its steps.
 */
export async function applyStepEvent(
  tx: DbTransaction,
  options: { stepId: string; event: StepEvent; fields?: StepStatusFields },
): Promise<Applied<StepStatus>> {
  const rows = await tx.$queryRaw<{ status: StepStatus; mode: PlanStepMode; planStatus: PlanStatus }[]>`
    SELECT s.status::text AS status, s.mode::text AS mode, p.status::text AS "planStatus"
    FROM "PlanStep" s JOIN "Plan" p ON p.id = s."planId"
    WHERE s.id = ${options.stepId}
    FOR UPDATE OF s`;
  const row = rows[0];
  if (!row) return { ok: false, code: "not_found", from: null, message: "No such step." };
  const next = transitionStep(row.status, options.event, row.mode);
  if (!next.ok) return { ok: false, code: "illegal_transition", from: row.status, message: next.error.message };
  const planStatuses = stepEventPlanStatuses[options.event];
  if (planStatuses !== "any" && !planStatuses.includes(row.planStatus)) {
    return {
      ok: false,
      code: "plan_state",
      from: row.status,
      message: `The plan is ${row.planStatus.replaceAll("_", " ")}; a step can ${options.event.replaceAll("_", " ")} only while it is ${planStatuses.map((status) => status.replaceAll("_", " ")).join(" or ")}.`,
    };
  }
  const written = await tx.planStep.updateMany({
    where: { id: options.stepId, status: row.status },
    data: { ...options.fields, status: next.status },
  });
  if (written.count !== 1) throw new AppError("internal", `Step ${options.stepId} changed status under its lock.`);
  return { ok: true, from: row.status, to: next.status };
}

/** Like {@link applyStepEvent}, for people's requests: a refused move is a 409 that says why. */
export async function applyStepEventOrThrow(
  tx: DbTransaction,
  options: { stepId: string; event: StepEvent; fields?: StepStatusFields },
): Promise<{ from: StepStatus; to: StepStatus }> {
  const applied = await applyStepEvent(tx, options);
  if (!applied.ok) throw new AppError(applied.code === "not_found" ? "not_found" : "conflict", applied.message);
  return applied;
}

/** Applies `event` to each step that accepts it (e.g. skip every unstarted step); returns the ids moved. */
export async function applyStepEventToEach(
  tx: DbTransaction,
  options: { stepIds: readonly string[]; event: StepEvent; fields?: StepStatusFields },
): Promise<string[]> {
  const moved: string[] = [];
  for (const stepId of options.stepIds) {
    const applied = await applyStepEvent(tx, { stepId, event: options.event, ...(options.fields ? { fields: options.fields } : {}) });
    if (applied.ok) moved.push(stepId);
  }
  return moved;
}
