import "server-only";
import { AppError } from "@/lib/app-error";
import { hasRole } from "@/lib/auth/roles";
import { bookmarkEntriesSchema } from "@/lib/fleet/bookmark-entry";
import { allowedPlanEvents } from "@/lib/plans/transition-plan";
import type { AnalysisResult } from "@/lib/analysis";
import type { PlanAnalysisView, PlanDetail, PlanLiveDetail } from "@/lib/plans/plan-detail-view";
import { judgeStepLiveness } from "@/lib/plans/step-liveness";
import { db } from "../db";
import { stepJobFacts } from "../jobs/step-job-facts";
import { livenessSettings } from "../jobs/worker-liveness";
import type { SessionUser } from "../users";
import { analysisTimeScale, observedLongEnough } from "./run-plan-analysis";
import { widenVerdict } from "./widen-verdict";

/**
 * The canary judge's evidence for the plan page: every stored run (a few KB each; a plan has a
 * handful of formal looks and only the watches that did not pass) and, per wave whose widens await
 * their click, the verdict the click will meet, from the same widenVerdict the server applies.
 */
async function planAnalysis(planId: string, awaitingWidenWaves: readonly number[]): Promise<PlanAnalysisView> {
  const runs = await db.analysisRun.findMany({
    where: { planId },
    orderBy: { at: "desc" },
    include: { acceptedBy: { select: { email: true } } },
  });
  const widen = await Promise.all(
    awaitingWidenWaves.map(async (wave) => {
      const verdict = await widenVerdict(db, { planId, wave });
      const samples = verdict.runId === null ? (await observedLongEnough({ planId, since: "restart" })).detail : null;
      return {
        wave,
        allowed: verdict.allowed,
        runId: verdict.runId,
        text: verdict.allowed ? verdict.summary : verdict.reason,
        samples,
      };
    }),
  );
  const ids = new Set(
    runs.flatMap((run) => [
      ...((run.result as unknown as AnalysisResult).canaryNodeIds ?? []),
      ...((run.result as unknown as AnalysisResult).baselineNodeIds ?? []),
    ]),
  );
  const nodes = ids.size ? await db.node.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true } }) : [];
  return {
    runs: runs.map((run) => ({
      id: run.id,
      wave: run.wave,
      phase: run.phase as PlanAnalysisView["runs"][number]["phase"],
      at: run.at.toISOString(),
      decision: run.decision as PlanAnalysisView["runs"][number]["decision"],
      score: run.score,
      summary: run.summary,
      accepted: run.acceptedAt
        ? { by: run.acceptedBy?.email ?? "an approver", at: run.acceptedAt.toISOString(), reason: run.acceptReason ?? "" }
        : null,
      result: run.result as unknown as AnalysisResult,
    })),
    widen,
    nodeNames: Object.fromEntries(nodes.map((node) => [node.id, node.name])),
    timeScale: analysisTimeScale(),
  };
}

/** Everything the live plan page shows, with what this user may do right now. */
export async function getPlanDetailOrThrow(options: { actor: SessionUser; planId: string }): Promise<PlanLiveDetail> {
  const { actor, planId } = options;
  const plan = await db.plan.findUnique({
    where: { id: planId },
    include: {
      fromRelease: { select: { id: true, name: true, coreVersion: true } },
      toRelease: { select: { id: true, name: true, coreVersion: true } },
      author: { select: { id: true, email: true } },
      approvals: { include: { approver: { select: { email: true } } }, orderBy: { createdAt: "asc" } },
      nodes: {
        include: { node: { select: { id: true, name: true, role: true, region: true, coreVersion: true, lbWeight: true } } },
        orderBy: [{ wave: "asc" }],
      },
      steps: { include: { activatedBy: { select: { email: true } } }, orderBy: { seq: "asc" } },
      bookmarks: {
        include: { restores: { include: { actor: { select: { email: true } } }, orderBy: { startedAt: "desc" } } },
        orderBy: { capturedAt: "asc" },
      },
    },
  });
  if (!plan) throw new AppError("not_found", "No such plan.");
  const events = await db.auditEvent.findMany({ where: { planId }, orderBy: { seq: "desc" }, take: 60 });
  const allowedEvents = allowedPlanEvents(plan.status);
  const approver = hasRole(actor.role, "approver");
  const restoreRunning = plan.bookmarks.some((bookmark) => bookmark.restores.some((restore) => restore.status === "running"));
  const running = plan.steps.filter((step) => step.status === "running");
  const facts = await stepJobFacts(running.map((step) => step.id));
  const now = new Date();
  const settings = livenessSettings();
  const awaitingWidenWaves = [
    ...new Set(plan.steps.filter((step) => step.kind === "widen" && step.status === "awaiting_activation").map((step) => step.wave)),
  ];
  const analysis = await planAnalysis(planId, awaitingWidenWaves);

  return {
    id: plan.id,
    title: plan.title,
    status: plan.status,
    statusReason: plan.statusReason,
    strategy: plan.strategy as PlanDetail["strategy"],
    guardrails: plan.guardrails as PlanDetail["guardrails"],
    waves: plan.waves as PlanDetail["waves"],
    approvalsRequired: plan.approvalsRequired,
    autoRollback: plan.autoRollback,
    fromRelease: plan.fromRelease,
    toRelease: plan.toRelease,
    author: plan.author.email,
    createdAt: plan.createdAt.toISOString(),
    startedAt: plan.startedAt?.toISOString() ?? null,
    finishedAt: plan.finishedAt?.toISOString() ?? null,
    approvals: plan.approvals.map((approval) => ({ approver: approval.approver.email, at: approval.createdAt.toISOString() })),
    nodes: plan.nodes.map((planNode) => ({ ...planNode.node, wave: planNode.wave, initialWeight: planNode.initialWeight })),
    steps: plan.steps.map((step) => ({
      id: step.id,
      nodeId: step.nodeId,
      wave: step.wave,
      seq: step.seq,
      kind: step.kind,
      mode: step.mode,
      status: step.status,
      targetWeight: step.targetWeight,
      error: step.error,
      attempt: step.attempt,
      startedAt: step.startedAt?.toISOString() ?? null,
      finishedAt: step.finishedAt?.toISOString() ?? null,
      timeoutAt: step.timeoutAt?.toISOString() ?? null,
      activatedBy: step.activatedBy?.email ?? null,
      liveness: judgeStepLiveness({
        stepStatus: step.status,
        planStatus: plan.status,
        facts: facts.get(step.id) ?? { job: null, holder: null },
        now,
        ...settings,
      }),
    })),
    bookmarks: plan.bookmarks.map((bookmark) => ({
      id: bookmark.id,
      label: bookmark.label,
      scope: bookmark.scope,
      capturedAt: bookmark.capturedAt.toISOString(),
      nodes: bookmarkEntriesSchema
        .parse(bookmark.nodes)
        .map((entry) => ({ name: entry.name, core: entry.lock.core, weight: entry.weight, drained: entry.drained })),
      restores: bookmark.restores.map((restore) => ({
        id: restore.id,
        status: restore.status,
        automatic: restore.automatic,
        actor: restore.actor?.email ?? null,
        startedAt: restore.startedAt.toISOString(),
        finishedAt: restore.finishedAt?.toISOString() ?? null,
      })),
    })),
    events: events.map((event) => ({
      seq: event.seq.toString(),
      at: event.at.toISOString(),
      kind: event.kind,
      actorEmail: event.actorEmail,
      nodeId: event.nodeId,
      planId: event.planId,
      data: event.data,
    })),
    analysis,
    can: {
      approve:
        approver &&
        plan.status === "draft" &&
        plan.authorId !== actor.id &&
        !plan.approvals.some((approval) => approval.approverId === actor.id),
      activate: approver && plan.status === "running",
      pause: hasRole(actor.role, "operator") && allowedEvents.includes("pause"),
      resume: approver && allowedEvents.includes("resume") && !restoreRunning,
      abort: hasRole(actor.role, "operator") && allowedEvents.includes("abort"),
      restore: approver && !restoreRunning,
      // A failed step of a plan that is still under way; the server checks the step itself.
      retry: approver && (plan.status === "running" || plan.status === "paused"),
      acceptAnalysis: approver && (plan.status === "running" || plan.status === "paused"),
    },
  };
}
