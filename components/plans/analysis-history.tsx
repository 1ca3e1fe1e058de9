import { ANALYSIS_METRICS, type AnalysisPhase } from "@/lib/analysis";
// Not re-exported by lib/analysis/index.ts (outside this change); the same words the reasons use.
import { formatChange, formatMetricValue, formatNumber, formatPValue } from "@/lib/analysis/format-metric-value";
import type { PlanAnalysisRunView, PlanAnalysisView } from "@/lib/plans/plan-detail-view";
import { AnalysisDecisionBadge } from "./analysis-decision-badge";
import { withNodeNames } from "./with-node-names";

const PHASES: Record<AnalysisPhase, string> = { before_widen: "Before widen", end_of_hold: "End of hold", watch: "Watch" };
const TIME = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: "UTC" });

const value = (key: keyof typeof ANALYSIS_METRICS, number: number | null) =>
  number === null ? "—" : formatMetricValue(ANALYSIS_METRICS[key], number);

function nameOf(names: Record<string, string>, nodeId: string) {
  return names[nodeId] ?? nodeId;
}

/** One run, expanded: the per-metric judgements, the safety limits and the trends, as the judge stored them. */
function RunEvidence({ run, names }: { run: PlanAnalysisRunView; names: Record<string, string> }) {
  const { result } = run;
  return (
    <div className="space-y-3 px-4 pb-4 text-sm">
      <p className="text-xs text-slate-500">
        Canary {result.canaryNodeIds.map((id) => nameOf(names, id)).join(", ") || "—"} vs baseline{" "}
        {result.baselineNodeIds.map((id) => nameOf(names, id)).join(", ") || "—"} · compared {result.comparisonBasis} · window{" "}
        {result.config.windowMinutes} min · horizon {formatNumber(result.horizonMinutes)} min
      </p>
      {result.metrics.length > 0 && (
        <div className="overflow-x-auto">
          <table aria-label="Metric judgements" className="min-w-full text-xs">
            <thead className="text-left font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                {["Metric", "Canary n / median", "Baseline n / median", "Effect", "p", "Allowed / critical", "Verdict", "Reason"].map(
                  (label) => (
                    <th key={label} scope="col" className="px-2 py-1">
                      {label}
                    </th>
                  ),
                )}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {result.metrics.map((metric) => {
                const definition = ANALYSIS_METRICS[metric.key];
                const bad = definition.badDirection === "increase" ? 1 : -1;
                return (
                  <tr key={metric.key}>
                    <th scope="row" className="px-2 py-1 text-left font-medium">
                      {definition.label}
                    </th>
                    <td className="px-2 py-1 tabular-nums">
                      {metric.canary.n} / {value(metric.key, metric.canary.median)}
                    </td>
                    <td className="px-2 py-1 tabular-nums">
                      {metric.baseline.n} / {value(metric.key, metric.baseline.median)}
                    </td>
                    <td className="px-2 py-1 tabular-nums">
                      {metric.effect === null ? "—" : formatChange(definition, metric.tolerance, metric.effect)}
                    </td>
                    <td className="px-2 py-1 tabular-nums">{metric.pValue === null ? "—" : formatPValue(metric.pValue)}</td>
                    <td className="px-2 py-1 tabular-nums">
                      {/* magnitudes in the bad direction: +10 % for memory, −20 % for throughput */}
                      {formatChange(definition, metric.tolerance, bad * metric.allowed)} /{" "}
                      {formatChange(definition, metric.tolerance, bad * metric.critical)}
                    </td>
                    <td className="px-2 py-1 font-medium">{metric.verdict}</td>
                    <td className="px-2 py-1 text-slate-600">{withNodeNames(names, metric.reasons.join(" "))}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {result.limits.length > 0 && (
        <div>
          <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Safety limits</h4>
          <ul aria-label="Safety limits" className="mt-1 space-y-0.5 text-xs">
            {result.limits.map((limit) => (
              <li key={limit.key}>
                <span className="font-medium">{ANALYSIS_METRICS[limit.key].label}</span> limit {value(limit.key, limit.limit)}:{" "}
                {limit.status.replace("_", " ")}
                {limit.worst && ` (worst ${nameOf(names, limit.worst.nodeId)} at ${value(limit.key, limit.worst.value)})`}
                {limit.status !== "ok" && limit.reasons.length > 0 && ` — ${withNodeNames(names, limit.reasons.join(" "))}`}
              </li>
            ))}
          </ul>
        </div>
      )}
      {result.trends.length > 0 && (
        <div>
          <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Trends (canary alone)</h4>
          <ul aria-label="Trends" className="mt-1 space-y-0.5 text-xs">
            {result.trends.map((trend) => (
              <li key={`${trend.key}-${trend.nodeId}`}>
                <span className="font-medium">{nameOf(names, trend.nodeId)}</span>: {trend.status} — {withNodeNames(names, trend.message)}
                {trend.pValue !== null && ` (${formatPValue(trend.pValue)}, n ${trend.n})`}
              </li>
            ))}
          </ul>
        </div>
      )}
      {result.reasons.length > 0 && (
        <ul className="list-disc pl-5 text-xs text-slate-700">
          {result.reasons.map((reason) => (
            <li key={reason}>{withNodeNames(names, reason)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * The canary judge's history per wave, newest first, like Argo Rollouts' AnalysisRuns: each run is a
 * summary line (phase, time, decision, score) that opens onto the evidence it was decided on.
 */
export function AnalysisHistory({
  analysis,
  acceptable = [],
  acceptDisabled = false,
  onAccept,
}: {
  analysis: PlanAnalysisView;
  /** Runs this user may accept now (the latest marginal or inconclusive formal look of a wave). */
  acceptable?: readonly string[];
  acceptDisabled?: boolean;
  onAccept?: (runId: string) => void;
}) {
  const waves = [...new Set(analysis.runs.map((run) => run.wave))].toSorted((a, b) => b - a);
  return (
    <section aria-labelledby="analysis-heading" className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <h2 id="analysis-heading" className="font-semibold">
        Canary analysis
      </h2>
      {analysis.runs.length === 0 ? (
        <p className="mt-2 text-sm text-slate-500">
          No analysis yet: the judge looks once the canary has restarted and sent enough samples.
        </p>
      ) : (
        waves.map((wave) => (
          <div key={wave} className="mt-3">
            <h3 className="text-sm font-semibold text-slate-700">Wave {wave + 1}</h3>
            <ol
              aria-label={`Analysis runs of wave ${wave + 1}`}
              className="mt-1 divide-y divide-slate-100 rounded-md ring-1 ring-slate-200"
            >
              {analysis.runs
                .filter((run) => run.wave === wave)
                .map((run) => (
                  <li key={run.id} aria-label={`${PHASES[run.phase]} ${run.decision}`}>
                    <details>
                      <summary className="flex cursor-pointer flex-wrap items-baseline gap-x-3 gap-y-1 px-4 py-2 text-sm hover:bg-slate-50">
                        <span className="font-medium">{PHASES[run.phase]}</span>
                        <time dateTime={run.at} className="text-xs tabular-nums text-slate-500">
                          {TIME.format(new Date(run.at))} UTC
                        </time>
                        <AnalysisDecisionBadge decision={run.decision} />
                        <span className="text-xs tabular-nums text-slate-600">
                          score {run.score === null ? "—" : formatNumber(run.score, 3)}
                        </span>
                        <span className="basis-full text-slate-700">{withNodeNames(analysis.nodeNames, run.summary)}</span>
                        {run.accepted && (
                          <span className="basis-full text-xs text-slate-600">
                            Accepted by {run.accepted.by}: {run.accepted.reason}
                          </span>
                        )}
                      </summary>
                      <RunEvidence run={run} names={analysis.nodeNames} />
                    </details>
                    {onAccept && acceptable.includes(run.id) && (
                      <div className="px-4 pb-2">
                        <button
                          type="button"
                          disabled={acceptDisabled}
                          onClick={() => onAccept(run.id)}
                          className="rounded-md border border-amber-400 bg-amber-50 px-2 py-1 text-xs font-semibold text-amber-900 hover:bg-amber-100 disabled:opacity-50"
                        >
                          Accept analysis
                        </button>
                      </div>
                    )}
                  </li>
                ))}
            </ol>
          </div>
        ))
      )}
    </section>
  );
}
