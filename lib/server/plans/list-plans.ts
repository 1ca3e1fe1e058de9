import "server-only";
import type { PlanStatus } from "@/lib/plans/transition-plan";
import { db } from "../db";

export interface PlanSummary {
  id: string;
  title: string;
  status: PlanStatus;
  statusReason: string | null;
  from: string;
  to: string;
  strategy: string;
  nodes: number;
  stepsDone: number;
  stepsTotal: number;
  awaitingActivation: number;
  author: string;
  createdAt: string;
}

export async function listPlans(): Promise<PlanSummary[]> {
  const plans = await db.plan.findMany({
    orderBy: { createdAt: "desc" },
    take: 200,
    include: {
      fromRelease: { select: { name: true } },
      toRelease: { select: { name: true } },
      author: { select: { email: true } },
      _count: { select: { nodes: true, steps: true } },
    },
  });
  const counts = await db.planStep.groupBy({
    by: ["planId", "status"],
    where: { planId: { in: plans.map((plan) => plan.id) } },
    _count: true,
  });
  const countOf = (planId: string, status: string) => counts.find((row) => row.planId === planId && row.status === status)?._count ?? 0;
  return plans.map((plan) => ({
    id: plan.id,
    title: plan.title,
    status: plan.status,
    statusReason: plan.statusReason,
    from: plan.fromRelease.name,
    to: plan.toRelease.name,
    strategy: (plan.strategy as { kind: string }).kind,
    nodes: plan._count.nodes,
    stepsDone: countOf(plan.id, "succeeded"),
    stepsTotal: plan._count.steps,
    awaitingActivation: countOf(plan.id, "awaiting_activation"),
    author: plan.author.email,
    createdAt: plan.createdAt.toISOString(),
  }));
}
