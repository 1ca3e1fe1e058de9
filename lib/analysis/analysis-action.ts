import type { AnalysisDecision, AnalysisPhase } from "./score-analysis";

/** What the plan engine does with a decision. */
export type AnalysisAction = "widen" | "keep_holding" | "pause" | "rollback";

/**
 * The decision → action table from the issue, in one place:
 * - pass: a formal look lets the widen proceed; the watch lets the hold go on;
 * - marginal or inconclusive: pause with the evidence; an approver continues or rolls back;
 * - fail (which includes any critical metric, limit breach or trend crossing): roll back when the
 *   plan enables automatic rollback, else pause.
 */
export function analysisAction(input: { phase: AnalysisPhase; decision: AnalysisDecision; autoRollback: boolean }): AnalysisAction {
  switch (input.decision) {
    case "pass":
      return input.phase === "watch" ? "keep_holding" : "widen";
    case "marginal":
    case "inconclusive":
      return "pause";
    case "fail":
      return input.autoRollback ? "rollback" : "pause";
  }
}
