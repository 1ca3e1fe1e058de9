"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { AuditEventList } from "@/components/timeline/audit-event-list";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { StatusBadge } from "@/components/ui/status-badge";
import { fetchJson } from "@/lib/http/fetch-json";
import { describeActivation } from "@/lib/plans/describe-activation";
import type { PlanLiveDetail } from "@/lib/plans/plan-detail-view";
import { planStepKinds } from "@/lib/plans/plan-step-kinds";
import { queryKeys } from "@/lib/query-keys";
import { AnalysisHistory } from "./analysis-history";
import { BookmarkList } from "./bookmark-list";
import { CohortComparison } from "./cohort-comparison";
import { StepCell } from "./step-cell";
import { WidenVerdictNote } from "./widen-verdict-note";

type PendingConfirm =
  | { kind: "activate"; stepId: string }
  | { kind: "retry"; stepId: string }
  | { kind: "abort" }
  | { kind: "restore"; bookmarkId: string }
  | { kind: "accept"; runId: string }
  | null;

const LIVE_STATUSES = new Set(["approved", "running", "paused", "rolling_back"]);

async function post(url: string, body?: unknown) {
  await fetchJson(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}) });
}

export function PlanLive({ initialPlan }: { initialPlan: PlanLiveDetail }) {
  const queryClient = useQueryClient();
  const key = queryKeys.plans.detail(initialPlan.id);
  const { data: plan } = useQuery({
    queryKey: key,
    queryFn: async () => (await fetchJson<{ plan: PlanLiveDetail }>(`/api/plans/${initialPlan.id}`)).plan,
    initialData: initialPlan,
    refetchInterval: (query) =>
      LIVE_STATUSES.has(query.state.data?.status ?? "") ||
      query.state.data?.bookmarks.some((b) => b.restores.some((r) => r.status === "running"))
        ? 1_000
        : 10_000,
  });
  const [confirm, setConfirm] = useState<PendingConfirm>(null);
  const [retryReason, setRetryReason] = useState("");
  const [acceptReason, setAcceptReason] = useState("");
  const action = useMutation({
    mutationFn: async (run: () => Promise<void>) => run(),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.plans.all }),
  });
  const busy = action.isPending;
  const busyReason = busy ? "Another action is being sent; wait for it to finish." : undefined;

  function run(label: string, task: () => Promise<void>) {
    setConfirm(null);
    action.reset();
    action.mutate(task, { onError: (error) => console.warn(label, error) });
  }

  const done = plan.steps.filter((step) => step.status === "succeeded").length;
  const nodesByWave = [...plan.nodes].sort((a, b) => a.wave - b.wave || a.name.localeCompare(b.name));
  const stepAt = (nodeId: string, kind: string) => plan.steps.find((step) => step.nodeId === nodeId && step.kind === kind);
  const activation = confirm?.kind === "activate" ? describeActivation(plan, confirm.stepId) : null;
  const restoreTarget = confirm?.kind === "restore" ? plan.bookmarks.find((bookmark) => bookmark.id === confirm.bookmarkId) : undefined;
  const retryTarget = confirm?.kind === "retry" ? plan.steps.find((step) => step.id === confirm.stepId) : undefined;
  const nodeName = (nodeId: string) => plan.nodes.find((node) => node.id === nodeId)?.name ?? nodeId;
  const acceptTarget = confirm?.kind === "accept" ? plan.analysis.runs.find((run) => run.id === confirm.runId) : undefined;
  const verdictOf = (wave: number) => plan.analysis.widen.find((verdict) => verdict.wave === wave);
  const latestRun = plan.analysis.runs[0];
  // The latest formal look of each wave, when it is one an approver may let through.
  const acceptable = plan.can.acceptAnalysis
    ? [...new Set(plan.analysis.runs.map((run) => run.wave))].flatMap((wave) => {
        const look = plan.analysis.runs.find((run) => run.wave === wave && run.phase !== "watch");
        return look && (look.decision === "marginal" || look.decision === "inconclusive") && !look.accepted ? [look.id] : [];
      })
    : [];
  const stalled = plan.steps.filter((step) => step.liveness?.state === "stalled");
  const buttonClass = "rounded-md px-3 py-1.5 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-50";

  return (
    <div className="space-y-6">
      <section aria-label="Plan status" className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
        <div className="flex flex-wrap items-center gap-3">
          <span data-testid="plan-status">
            <StatusBadge status={plan.status} />
          </span>
          <span className="text-sm text-slate-600">
            {plan.fromRelease.name} → {plan.toRelease.name} · {plan.strategy.kind.replaceAll("_", " ")} · {plan.waves.length} waves ·
            auto-rollback {plan.autoRollback ? "on" : "off"}
          </span>
          <div className="ml-auto flex gap-2">
            {plan.can.approve && (
              <button
                type="button"
                disabled={busy}
                title={busyReason}
                onClick={() => run("approve", () => post(`/api/plans/${plan.id}/approve`))}
                className={`${buttonClass} bg-emerald-700 text-white hover:bg-emerald-600`}
              >
                Approve
              </button>
            )}
            {plan.can.pause && (
              <button
                type="button"
                disabled={busy}
                title={busyReason}
                onClick={() => run("pause", () => post(`/api/plans/${plan.id}/control`, { control: "pause" }))}
                className={`${buttonClass} border border-slate-300 hover:bg-slate-50`}
              >
                Pause
              </button>
            )}
            {plan.can.resume && (
              <button
                type="button"
                disabled={busy}
                title={busyReason}
                onClick={() => run("resume", () => post(`/api/plans/${plan.id}/control`, { control: "resume" }))}
                className={`${buttonClass} border border-slate-300 hover:bg-slate-50`}
              >
                Resume
              </button>
            )}
            {plan.can.abort && (
              <button
                type="button"
                disabled={busy}
                title={busyReason}
                onClick={() => setConfirm({ kind: "abort" })}
                className={`${buttonClass} border border-rose-300 text-rose-700 hover:bg-rose-50`}
              >
                Abort
              </button>
            )}
          </div>
        </div>
        {plan.statusReason && (
          <p data-testid="plan-status-reason" className="mt-2 text-sm text-slate-700">
            {plan.statusReason}
          </p>
        )}
        <p className="mt-2 text-xs text-slate-500">
          Approvals {plan.approvals.length}/{plan.approvalsRequired}
          {plan.approvals.length > 0 && `: ${plan.approvals.map((approval) => approval.approver).join(", ")}`} · author {plan.author}
        </p>
        {stalled.length > 0 && (
          <div role="alert" aria-label="Stalled steps" className="mt-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
            {stalled.map((step) => (
              <p key={step.id}>
                <strong>
                  {step.kind} on {nodeName(step.nodeId)} is stalled
                </strong>{" "}
                ({step.liveness?.state === "stalled" ? Math.round(step.liveness.sinceMs / 1000) : 0} s):{" "}
                {step.liveness?.state === "stalled" ? step.liveness.reason : ""}
              </p>
            ))}
          </div>
        )}
        {action.error && (
          <p role="alert" className="mt-2 rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
            {action.error.message}
          </p>
        )}
        <div
          className="mt-3 h-2 w-full overflow-hidden rounded bg-slate-100"
          role="progressbar"
          aria-label="Plan progress"
          aria-valuemin={0}
          aria-valuemax={plan.steps.length}
          aria-valuenow={done}
        >
          <div
            className="h-full bg-indigo-500 transition-all"
            style={{ width: `${plan.steps.length ? (100 * done) / plan.steps.length : 0}%` }}
          />
        </div>
        <p className="mt-1 text-xs text-slate-500">
          {done} of {plan.steps.length} steps done
        </p>
      </section>

      <section aria-labelledby="steps-heading" className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
        <h2 id="steps-heading" className="px-4 pt-3 font-semibold">
          Nodes × steps
        </h2>
        <table className="min-w-full text-sm">
          <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-4 py-2">
                Node
              </th>
              <th scope="col" className="px-2 py-2">
                Wave
              </th>
              {planStepKinds.map((kind) => (
                <th key={kind} scope="col" className="px-2 py-2">
                  {kind}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {nodesByWave.map((node) => (
              <tr key={node.id} aria-label={node.name}>
                <th scope="row" className="px-4 py-2 text-left font-medium">
                  {node.name} <span className="text-xs font-normal text-slate-500">{node.role}</span>
                </th>
                <td className="px-2 py-2 text-slate-500">{node.wave + 1}</td>
                {planStepKinds.map((kind) => {
                  const step = stepAt(node.id, kind);
                  if (!step) return <td key={kind} />;
                  return (
                    <td
                      key={kind}
                      className="px-2 py-2 align-top"
                      data-testid={`step-${node.name}-${kind}`}
                      aria-busy={step.status === "running"}
                    >
                      <StepCell
                        step={step}
                        actions={
                          step.status === "awaiting_activation" && plan.can.activate
                            ? (() => {
                                // A widen waits for the canary judge too; the button says what the click will meet.
                                const verdict = kind === "widen" ? verdictOf(step.wave) : undefined;
                                const refused = verdict !== undefined && !verdict.allowed;
                                const noteId = `widen-verdict-${step.id}`;
                                return (
                                  <>
                                    <button
                                      type="button"
                                      disabled={busy || refused}
                                      aria-describedby={verdict ? noteId : undefined}
                                      title={
                                        busyReason ??
                                        (refused
                                          ? `The canary analysis does not allow this widen yet: ${verdict.text}`
                                          : "Waits for your click")
                                      }
                                      onClick={() => setConfirm({ kind: "activate", stepId: step.id })}
                                      className="rounded-md bg-amber-500 px-2 py-1 text-xs font-semibold text-white hover:bg-amber-600 disabled:cursor-not-allowed disabled:opacity-50"
                                    >
                                      Activate {kind}
                                    </button>
                                    {verdict && (
                                      <WidenVerdictNote
                                        id={noteId}
                                        verdict={verdict}
                                        runs={plan.analysis.runs}
                                        nodeNames={plan.analysis.nodeNames}
                                      />
                                    )}
                                  </>
                                );
                              })()
                            : undefined
                        }
                      />
                      {step.status === "failed" && plan.can.retry && (
                        <button
                          type="button"
                          disabled={busy}
                          title={busyReason ?? `Runs ${kind} on ${node.name} again as attempt ${step.attempt + 1}`}
                          onClick={() => {
                            setRetryReason("");
                            setConfirm({ kind: "retry", stepId: step.id });
                          }}
                          className="mt-1 block rounded-md border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-50 disabled:opacity-50"
                        >
                          Retry {kind}
                        </button>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {plan.status !== "draft" && plan.status !== "approved" && (
        <AnalysisHistory
          analysis={plan.analysis}
          acceptable={acceptable}
          acceptDisabled={busy}
          onAccept={(runId) => {
            setAcceptReason("");
            setConfirm({ kind: "accept", runId });
          }}
        />
      )}

      {plan.status !== "draft" && plan.status !== "approved" && (
        <CohortComparison
          planId={plan.id}
          live={LIVE_STATUSES.has(plan.status)}
          latestRun={latestRun}
          timeScale={plan.analysis.timeScale}
        />
      )}

      <BookmarkList
        bookmarks={plan.bookmarks}
        canRestore={plan.can.restore && !busy}
        onRestore={(bookmarkId) => setConfirm({ kind: "restore", bookmarkId })}
      />

      <section aria-labelledby="events-heading">
        <h2 id="events-heading" className="mb-2 font-semibold">
          Recent events
        </h2>
        <AuditEventList events={plan.events} />
      </section>

      <ConfirmDialog
        open={activation !== null}
        title={activation?.title ?? ""}
        confirmLabel="Activate"
        onCancel={() => setConfirm(null)}
        onConfirm={() =>
          confirm?.kind === "activate" && run("activate", () => post(`/api/plans/${plan.id}/steps/${confirm.stepId}/activate`))
        }
      >
        {activation?.body.map((line) => (
          <p key={line}>{line}</p>
        ))}
      </ConfirmDialog>
      <ConfirmDialog
        open={retryTarget !== undefined}
        title={`Retry ${retryTarget?.kind ?? ""} on ${retryTarget ? nodeName(retryTarget.nodeId) : ""}?`}
        confirmLabel="Retry step"
        confirmDisabled={retryReason.trim().length < 3}
        onCancel={() => setConfirm(null)}
        onConfirm={() =>
          confirm?.kind === "retry" &&
          run("retry", () => post(`/api/plans/${plan.id}/steps/${confirm.stepId}/retry`, { reason: retryReason.trim() }))
        }
      >
        <p>
          Runs the step again as attempt {(retryTarget?.attempt ?? 1) + 1}, with a fresh timeout; a paused plan resumes and continues from
          here.
          {retryTarget?.mode === "activate" && " This counts as your activation click."}
        </p>
        {retryTarget?.error && <p className="text-rose-700">Last attempt: {retryTarget.error}</p>}
        <label className="block text-sm font-medium">
          Why retry (kept in the audit log)
          <textarea
            value={retryReason}
            onChange={(event) => setRetryReason(event.target.value)}
            rows={2}
            maxLength={500}
            className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 text-sm"
          />
        </label>
      </ConfirmDialog>
      <ConfirmDialog
        open={acceptTarget !== undefined}
        title={`Accept the canary analysis of wave ${(acceptTarget?.wave ?? 0) + 1}?`}
        confirmLabel="Accept analysis"
        confirmDisabled={acceptReason.trim().length < 3}
        onCancel={() => setConfirm(null)}
        onConfirm={() =>
          confirm?.kind === "accept" &&
          run("accept analysis", () => post(`/api/plans/${plan.id}/analysis/${confirm.runId}/accept`, { reason: acceptReason.trim() }))
        }
      >
        <p>
          The judge said <strong>{acceptTarget?.decision}</strong>
          {acceptTarget?.score !== null && acceptTarget?.score !== undefined && ` (score ${Math.round(acceptTarget.score)})`}:{" "}
          {acceptTarget?.summary}
        </p>
        <p>
          Accepting lets the widen it held back be clicked (or the next wave open); a plan it paused resumes. Your name and reason are kept.
        </p>
        <label className="block text-sm font-medium">
          Why accept (kept in the audit log)
          <textarea
            value={acceptReason}
            onChange={(event) => setAcceptReason(event.target.value)}
            rows={2}
            maxLength={500}
            className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 text-sm"
          />
        </label>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm?.kind === "abort"}
        title="Abort this plan?"
        confirmLabel="Abort plan"
        tone="danger"
        onCancel={() => setConfirm(null)}
        onConfirm={() => run("abort", () => post(`/api/plans/${plan.id}/control`, { control: "abort" }))}
      >
        <p>
          Steps already running finish; every step not started is skipped. Nodes stay where they are: restore a bookmark to move them back.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={restoreTarget !== undefined}
        title={`Restore "${restoreTarget?.label ?? ""}"?`}
        confirmLabel="Restore"
        tone="danger"
        onCancel={() => setConfirm(null)}
        onConfirm={() =>
          confirm?.kind === "restore" &&
          run("restore", () => post(`/api/bookmarks/${confirm.bookmarkId}/restore`, { reason: "restored from the plan page" }))
        }
      >
        <p>
          The plan stops (rolling back) while every node below is put back: versions reinstalled, LB weight and drain state restored, then
          verified. When every node is back the plan ends rolled back; if one cannot be restored the plan pauses with the reason.
        </p>
        <ul className="list-disc pl-5 font-mono text-xs">
          {restoreTarget?.nodes.map((node) => (
            <li key={node.name}>
              {node.name}: core {node.core}, weight {node.weight}
              {node.drained ? ", drained" : ""}
            </li>
          ))}
        </ul>
      </ConfirmDialog>
    </div>
  );
}
