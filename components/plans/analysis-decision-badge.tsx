import type { AnalysisDecision } from "@/lib/analysis";

const TONES: Record<AnalysisDecision, string> = {
  pass: "bg-emerald-100 text-emerald-800",
  marginal: "bg-amber-100 text-amber-900",
  inconclusive: "bg-slate-200 text-slate-700",
  fail: "bg-rose-100 text-rose-800",
};

/** A canary analysis decision as a badge; the word is the accessible text, the colour only repeats it. */
export function AnalysisDecisionBadge({ decision }: { decision: AnalysisDecision }) {
  return (
    <span className={`inline-block whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ${TONES[decision]}`}>{decision}</span>
  );
}
