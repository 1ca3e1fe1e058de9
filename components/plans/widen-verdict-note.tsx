import type { PlanAnalysisRunView, PlanWidenVerdictView } from "@/lib/plans/plan-detail-view";
import { withNodeNames } from "./with-node-names";

/**
 * What the canary judge says about a widen, in visible text under its button: the current verdict
 * when it allows the click ("Canary analysis: pass (score 100)"), the reason when it does not.
 */
export function WidenVerdictNote({
  id,
  verdict,
  runs,
  nodeNames,
}: {
  id: string;
  verdict: PlanWidenVerdictView;
  runs: readonly PlanAnalysisRunView[];
  nodeNames: Record<string, string>;
}) {
  const run = verdict.runId ? runs.find((candidate) => candidate.id === verdict.runId) : undefined;
  const score = run?.score === null || run?.score === undefined ? "" : ` (score ${Math.round(run.score)})`;
  if (verdict.allowed) {
    return (
      <p id={id} role="status" className="mt-1 max-w-xs text-xs text-emerald-800">
        Canary analysis: {run?.accepted ? `${run.decision}, accepted` : (run?.decision ?? "pass")}
        {score}
      </p>
    );
  }
  return (
    <p id={id} role="status" className="mt-1 max-w-xs text-xs text-rose-800">
      Widen blocked by the canary analysis{run ? `: ${run.decision}${score}` : ""} — {withNodeNames(nodeNames, verdict.text)}
      {verdict.samples && ` (${verdict.samples})`}
    </p>
  );
}
