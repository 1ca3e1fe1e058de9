import "server-only";
import { AppError } from "@/lib/app-error";
import { hasRole } from "@/lib/auth/roles";
import { buildPlanSteps } from "@/lib/plans/build-plan-steps";
import { requireFreshBaseline } from "@/lib/plans/fresh-baseline";
import { planAnalysisConfig } from "@/lib/plans/plan-analysis-config";
import { planDraftSchema } from "@/lib/plans/plan-draft-schema";
import { appendAuditEvent } from "../audit-log";
import { db } from "../db";
import type { SessionUser } from "../users";

/**
 * Drafts an upgrade plan: validates the input, fixes the waves and every node's steps, and stores
 * them with the nodes' current LB weights (what widening will restore). Operators and above.
 */
export async function createPlan(options: { actor: SessionUser; input: unknown }): Promise<{ id: string }> {
  const { actor } = options;
  if (!hasRole(actor.role, "operator")) throw new AppError("forbidden", "Drafting a plan needs the operator role.");
  const draft = planDraftSchema.parse(options.input);
  try {
    // Guardrails and analysis settings together must still make a valid analysis.
    planAnalysisConfig({ analysis: draft.analysis, guardrails: draft.guardrails });
  } catch (error) {
    if (!(error instanceof AppError) || !error.fieldErrors) throw error;
    const fieldErrors = Object.fromEntries(Object.entries(error.fieldErrors).map(([path, messages]) => [`analysis.${path}`, messages]));
    throw new AppError("invalid_input", error.message, { fieldErrors });
  }

  return db.$transaction(async (tx) => {
    const releases = await tx.release.findMany({
      where: { id: { in: [draft.fromReleaseId, draft.toReleaseId] } },
      select: { id: true, name: true },
    });
    const fieldErrors: Record<string, string[]> = {};
    if (!releases.some((release) => release.id === draft.fromReleaseId)) fieldErrors.fromReleaseId = ["No such release"];
    if (!releases.some((release) => release.id === draft.toReleaseId)) fieldErrors.toReleaseId = ["No such release"];
    const nodes = await tx.node.findMany({
      where: { id: { in: draft.nodeIds } },
      select: { id: true, name: true, role: true, lbWeight: true },
    });
    if (nodes.length !== draft.nodeIds.length) fieldErrors.nodeIds = ["Some chosen nodes are no longer registered"];
    if (Object.keys(fieldErrors).length > 0)
      throw new AppError("invalid_input", "The plan refers to things that do not exist.", { fieldErrors });

    // Keep the order the author chose; buildPlanSteps puts canaries first by itself.
    const byId = new Map(nodes.map((node) => [node.id, node]));
    const ordered = draft.nodeIds.map((id) => byId.get(id)!);
    const { waves, steps } = buildPlanSteps({ nodes: ordered, strategy: draft.strategy });
    if (draft.analysis.freshBaseline) requireFreshBaseline(waves);
    const waveOf = new Map(waves.flatMap((wave) => wave.nodeIds.map((nodeId) => [nodeId, wave.index] as const)));

    const plan = await tx.plan.create({
      data: {
        title: draft.title,
        fromReleaseId: draft.fromReleaseId,
        toReleaseId: draft.toReleaseId,
        strategy: draft.strategy,
        guardrails: draft.guardrails,
        waves: waves.map((wave) => ({ index: wave.index, nodeIds: wave.nodeIds, holdSeconds: wave.holdSeconds })),
        approvalsRequired: draft.approvalsRequired,
        autoRollback: draft.autoRollback,
        stepTimeouts: draft.stepTimeouts,
        analysis: draft.analysis,
        authorId: actor.id,
        nodes: { create: ordered.map((node) => ({ nodeId: node.id, wave: waveOf.get(node.id) ?? 0, initialWeight: node.lbWeight })) },
        steps: {
          create: steps.map((step) => ({
            nodeId: step.nodeId,
            wave: step.wave,
            seq: step.seq,
            kind: step.kind,
            mode: step.mode,
            targetWeight: step.targetWeight,
          })),
        },
      },
      select: { id: true },
    });
    await appendAuditEvent(tx, {
      kind: "plan.created",
      actor,
      planId: plan.id,
      data: {
        title: draft.title,
        from: releases.find((release) => release.id === draft.fromReleaseId)?.name ?? null,
        to: releases.find((release) => release.id === draft.toReleaseId)?.name ?? null,
        strategy: draft.strategy.kind,
        nodes: ordered.map((node) => node.name),
        waves: waves.length,
        approvalsRequired: draft.approvalsRequired,
        autoRollback: draft.autoRollback,
      },
    });
    return plan;
  });
}
