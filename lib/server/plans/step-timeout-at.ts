import "server-only";
import { memorySchemaSchema } from "@/lib/releases/release-manifest-schema";
import type { PlanStepKind } from "@/lib/plans/plan-step-kinds";
import { stepTimeoutSeconds, stepTimeoutsSchema } from "@/lib/plans/step-timeouts";
import type { DbTransaction } from "../db";

/** When an attempt of a step that starts at `from` times out, by the plan's settings and release. */
export async function stepTimeoutAt(tx: DbTransaction, options: { planId: string; kind: PlanStepKind; from: Date }): Promise<Date> {
  const plan = await tx.plan.findUniqueOrThrow({
    where: { id: options.planId },
    select: { stepTimeouts: true, toRelease: { select: { manifest: true } } },
  });
  // Both were validated when written; parse anyway rather than trust a JSON column's shape.
  const overrides = stepTimeoutsSchema.parse(plan.stepTimeouts);
  const memorySchema = memorySchemaSchema.safeParse((plan.toRelease.manifest as { memorySchema?: unknown }).memorySchema);
  const releaseMigratesMemory = memorySchema.success && memorySchema.data.migrationFrom !== null;
  const seconds = stepTimeoutSeconds({ kind: options.kind, overrides, releaseMigratesMemory });
  return new Date(options.from.getTime() + seconds * 1000);
}
