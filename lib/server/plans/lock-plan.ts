import "server-only";
import { AppError } from "@/lib/app-error";
import type { DbTransaction } from "../db";

/**
 * Takes the plan's row lock for the rest of the transaction. Every state change of a plan goes
 * through it, so two approvers, two dashboard instances or a click racing the runner see one
 * consistent order of events.
 */
export async function lockPlanOrThrow(tx: DbTransaction, planId: string) {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Plan" WHERE id = ${planId} FOR UPDATE`;
  if (locked.length === 0) throw new AppError("not_found", "No such plan.");
  return tx.plan.findUniqueOrThrow({ where: { id: planId } });
}
