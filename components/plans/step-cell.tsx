import { StatusBadge } from "@/components/ui/status-badge";
import type { PlanDetail } from "@/lib/plans/plan-detail-view";

type Step = PlanDetail["steps"][number];

/**
 * One node × step cell of the plan grid: the step's status, and for a running step whether its
 * job is really moving (a stalled or interrupted one says for how long and why, in words, not only
 * in a tooltip). The buttons that act on the step are the caller's: this only renders.
 */
export function StepCell({ step, actions }: { step: Step; actions?: React.ReactNode }) {
  const liveness = step.liveness;
  const label = liveness?.state === "stalled" || liveness?.state === "interrupted" ? liveness.state : step.status;
  return (
    <>
      {actions ?? (
        <span title={step.error ?? (step.activatedBy ? `activated by ${step.activatedBy}` : undefined)}>
          <StatusBadge status={label} />
          {liveness?.state === "working" && (
            <span className="ml-1 inline-block h-2 w-2 animate-ping rounded-full bg-indigo-500" aria-hidden />
          )}
          {step.attempt > 1 && <span className="ml-1 text-xs text-slate-500">attempt {step.attempt}</span>}
        </span>
      )}
      {liveness?.state === "stalled" && (
        <p className="mt-1 max-w-56 text-xs text-amber-900" data-testid="step-stalled">
          Stalled {Math.round(liveness.sinceMs / 1000)} s. {liveness.reason}
        </p>
      )}
      {liveness?.state === "interrupted" && <p className="mt-1 max-w-56 text-xs text-slate-600">{liveness.reason}</p>}
      {liveness?.state === "queued" && <p className="mt-1 max-w-56 text-xs text-slate-500">{liveness.detail}</p>}
      {step.status === "failed" && step.error && <p className="mt-1 max-w-56 text-xs text-rose-700">{step.error}</p>}
    </>
  );
}
