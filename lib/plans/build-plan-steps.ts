import { AppError } from "@/lib/app-error";
import type { NodeRole } from "@/lib/fleet/node-registration";
import { planStepKinds, planStepModes, type PlanStepKind, type PlanStepMode } from "./plan-step-kinds";
import { planStrategySchema, type PlanStrategy } from "./plan-strategy-schema";

export interface PlanNodeInput {
  id: string;
  name: string;
  role: NodeRole;
  /** LB weight before the plan (0..100): what `widen` restores unless the stage sets a target. */
  lbWeight: number;
}

export interface PlanWave {
  /** 0-based, consecutive. */
  index: number;
  nodeIds: string[];
  /** Observation time after the wave's last widen, before the next wave (or completion). */
  holdSeconds: number;
}

export interface PlanStep {
  wave: number;
  nodeId: string;
  /** 0-based, strictly increasing over the whole plan: a valid execution order. */
  seq: number;
  kind: PlanStepKind;
  mode: PlanStepMode;
  /** LB weight the step sets: 0 for drain, the restored/target weight for widen, null otherwise. */
  targetWeight: number | null;
}

export interface PlanSteps {
  waves: PlanWave[];
  steps: PlanStep[];
}

interface WaveDraft {
  nodes: PlanNodeInput[];
  holdSeconds: number;
  targetWeight: number | undefined;
}

/**
 * Turns a plan's nodes and strategy into waves and a flat, ordered list of steps.
 *
 * Order inside a wave is phase by phase (every node's drain, then every node's upgrade, …, then
 * every node's widen), not node by node. Nodes of a wave run in parallel and meet at each click,
 * so this is the order things actually happen in: the timeline reads like the rollout, and an
 * approver sees a wave's restarts together instead of interleaved with other nodes' upgrades.
 * Each node's own steps still come in the fixed order, so `seq` is a valid serial order too.
 */
export function buildPlanSteps(input: { nodes: PlanNodeInput[]; strategy: PlanStrategy }): PlanSteps {
  const nodes = checkNodes(input.nodes);
  const parsed = planStrategySchema.safeParse(input.strategy);
  if (!parsed.success) {
    throw new AppError("invalid_input", "The plan's strategy is not valid.", {
      fieldErrors: { strategy: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`) },
    });
  }

  // Canaries first, everything else in the caller's order (a stable sort keeps that order).
  const ordered = [...nodes].sort((a, b) => Number(b.role === "canary") - Number(a.role === "canary"));
  const drafts = planWaves(ordered, parsed.data);

  const waves: PlanWave[] = [];
  const steps: PlanStep[] = [];
  drafts.forEach((draft, index) => {
    waves.push({ index, nodeIds: draft.nodes.map((node) => node.id), holdSeconds: draft.holdSeconds });
    for (const kind of planStepKinds) {
      for (const node of draft.nodes) {
        steps.push({
          wave: index,
          nodeId: node.id,
          seq: steps.length,
          kind,
          mode: planStepModes[kind],
          targetWeight: targetWeightFor(kind, node, draft),
        });
      }
    }
  });
  return { waves, steps };
}

function checkNodes(nodes: PlanNodeInput[]): PlanNodeInput[] {
  if (nodes.length === 0)
    throw new AppError("invalid_input", "A plan needs at least one node.", { fieldErrors: { nodeIds: ["Choose at least one node"] } });
  const seen = new Set<string>();
  for (const node of nodes) {
    if (seen.has(node.id))
      throw new AppError("invalid_input", `Node ${node.name} is in the plan twice.`, {
        fieldErrors: { nodeIds: ["Each node can be in the plan only once"] },
      });
    seen.add(node.id);
    // Witnesses keep the old release on purpose, as the baseline the new one is compared against.
    if (node.role === "witness") {
      throw new AppError("invalid_input", `Node ${node.name} is a witness; witnesses never change release.`, {
        fieldErrors: { nodeIds: [`${node.name} is a witness and can't be upgraded`] },
      });
    }
    if (!Number.isInteger(node.lbWeight) || node.lbWeight < 0 || node.lbWeight > 100) {
      throw new AppError("invalid_input", `Node ${node.name} has LB weight ${node.lbWeight}; expected 0..100.`);
    }
  }
  return nodes;
}

function planWaves(nodes: PlanNodeInput[], strategy: PlanStrategy): WaveDraft[] {
  switch (strategy.kind) {
    case "big_bang":
      return [{ nodes, holdSeconds: strategy.holdSeconds, targetWeight: strategy.targetWeight }];
    case "rolling_one_by_one":
      return nodes.map((node) => ({ nodes: [node], holdSeconds: strategy.holdSeconds, targetWeight: strategy.targetWeight }));
    case "rolling_canary": {
      const waves: WaveDraft[] = [];
      let covered = 0;
      for (const stage of strategy.stages) {
        // Round down so a stage never exposes more than its percentage, but take at least one
        // node so "1%" of a small fleet still means a real canary rather than an empty stage.
        const cumulative = Math.max(1, Math.floor((stage.percent * nodes.length) / 100));
        const previous = waves.at(-1);
        if (cumulative <= covered) {
          // No new node: the stage is dropped, but its hold is kept on the wave that already
          // covers it, so the author gets the observation time they asked for in total.
          if (previous) previous.holdSeconds += stage.holdSeconds;
          continue;
        }
        waves.push({ nodes: nodes.slice(covered, cumulative), holdSeconds: stage.holdSeconds, targetWeight: stage.targetWeight });
        covered = cumulative;
      }
      return waves;
    }
  }
}

function targetWeightFor(kind: PlanStepKind, node: PlanNodeInput, wave: WaveDraft): number | null {
  if (kind === "drain") return 0;
  if (kind === "widen") return wave.targetWeight ?? node.lbWeight;
  return null;
}
