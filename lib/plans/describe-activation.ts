import type { PlanDetail } from "./plan-detail-view";

/**
 * The sentence an approver reads before clicking Activate: which node, what happens to it, and
 * how much of the plan will take traffic afterwards. Stated from the plan's own data so the
 * dialog cannot promise something the runner will not do.
 */
export function describeActivation(plan: PlanDetail, stepId: string): { title: string; body: string[] } {
  const step = plan.steps.find((candidate) => candidate.id === stepId);
  const node = step && plan.nodes.find((candidate) => candidate.id === step.nodeId);
  if (!step || !node) return { title: "Activate step", body: ["This step is no longer part of the plan."] };
  const where = `${node.name} (${node.role}, ${node.region})`;
  if (step.kind === "restart") {
    return {
      title: `Restart ${node.name}?`,
      body: [
        `Restarts the gateway on ${where}. It is drained and already upgraded to ${plan.toRelease.name} (core ${plan.toRelease.coreVersion}); the restart loads the new release.`,
        "A plan-wide rollback bookmark is captured first.",
      ],
    };
  }
  const weight = step.targetWeight ?? node.initialWeight;
  const widened = new Set(
    plan.steps.filter((candidate) => candidate.kind === "widen" && candidate.status === "succeeded").map((candidate) => candidate.nodeId),
  );
  widened.add(node.id);
  return {
    title: `Widen traffic to ${node.name}?`,
    body: [
      `Sets the LB weight of ${where} to ${weight} and puts it back in rotation, after the gate checks that upgraded nodes agree, are fresh and within the guardrails.`,
      `Afterwards ${widened.size} of ${plan.nodes.length} plan nodes take traffic on ${plan.toRelease.name}.`,
    ],
  };
}
