import "server-only";
import pLimit from "p-limit";
import { AppError } from "@/lib/app-error";
import { hasRole } from "@/lib/auth/roles";
import { bookmarkEntriesSchema, type BookmarkEntry } from "@/lib/fleet/bookmark-entry";
import { runAgentAction, lastLogLine, type AgentTarget } from "../agents/run-agent-action";
import { appendAuditEvent } from "../audit-log";
import { db } from "../db";
import { enqueueJob } from "../jobs/job-queue";
import type { SessionUser } from "../users";
import { applyPlanEvent, applyStepEventToEach } from "./apply-status";

/**
 * Asks for a bookmark to be restored: records the request and queues the durable job that does it.
 * An approver clicks it, or the guardrails call it with `actor: null`. The plan the bookmark belongs
 * to enters `rolling_back` at once (when it is still under way), so nothing widens, resumes or
 * starts while its nodes are being put back. A finished plan keeps its status; the restore is
 * recorded on its own.
 */
export async function requestBookmarkRestore(options: { actor: SessionUser | null; bookmarkId: string; reason: string }): Promise<string> {
  const { actor } = options;
  if (actor && !hasRole(actor.role, "approver")) throw new AppError("forbidden", "Restoring a bookmark needs the approver role.");
  return db.$transaction(async (tx) => {
    const bookmark = await tx.bookmark.findUnique({ where: { id: options.bookmarkId }, select: { id: true, planId: true, label: true } });
    if (!bookmark) throw new AppError("not_found", "No such bookmark.");
    const running = await tx.bookmarkRestore.findFirst({
      where: { status: "running", bookmark: { planId: bookmark.planId } },
      include: { bookmark: { select: { label: true } } },
    });
    if (running) {
      throw new AppError(
        "conflict",
        `A restore of "${running.bookmark.label}" is already running for this plan (since ${running.startedAt.toISOString()}); wait for it to finish.`,
      );
    }
    const restore = await tx.bookmarkRestore.create({
      data: { bookmarkId: bookmark.id, actorId: actor?.id ?? null, automatic: actor === null },
    });
    if (bookmark.planId) {
      // Refused (and harmless) for a plan that is a draft or already finished.
      await applyPlanEvent(tx, {
        planId: bookmark.planId,
        event: "begin_rollback",
        fields: { statusReason: `Restoring bookmark "${bookmark.label}": ${options.reason}` },
      });
    }
    await appendAuditEvent(tx, {
      kind: "bookmark.restore_requested",
      actor,
      planId: bookmark.planId,
      data: { bookmarkId: bookmark.id, restoreId: restore.id, label: bookmark.label, automatic: actor === null, reason: options.reason },
    });
    await enqueueJob(tx, "restore-bookmark", { restoreId: restore.id }, { jobKey: `restore:${restore.id}`, maxAttempts: 3 });
    return restore.id;
  });
}

// A type alias, not an interface: Prisma's Json input needs an index-signature-compatible shape.
type NodeRestoreOutcome = {
  nodeId: string;
  name: string;
  ok: boolean;
  core: string | null;
  weight: number | null;
  error: string | null;
};

/** Puts one node back: reinstall the recorded tree and weight, restore the drain state, verify. */
async function restoreNode(restoreId: string, planId: string | null, node: AgentTarget, entry: BookmarkEntry): Promise<NodeRestoreOutcome> {
  const requestId = (step: string) => `restore-${restoreId}-${node.id}-${step}`;
  const fail = (error: string): NodeRestoreOutcome => ({ nodeId: node.id, name: node.name, ok: false, core: null, weight: null, error });
  try {
    const rollback = await runAgentAction({
      node,
      planId,
      action: "rollback",
      requestId: requestId("rollback"),
      body: { bookmark: { ...entry.lock, weight: entry.weight }, reason: `restore ${restoreId}` },
    });
    if (rollback.status !== "succeeded") return fail(lastLogLine(rollback));
    const drainAction = entry.drained ? "drain" : "undrain";
    const lbState = await runAgentAction({ node, planId, action: drainAction, requestId: requestId(drainAction), body: {} });
    if (lbState.status !== "succeeded") return fail(lastLogLine(lbState));
    const verify = await runAgentAction({ node, planId, action: "verify", requestId: requestId("verify"), body: { expect: entry.lock } });
    if (verify.status !== "succeeded") return fail(lastLogLine(verify));
    await db.node.update({ where: { id: node.id }, data: { coreVersion: entry.lock.core, lbWeight: entry.weight } });
    return { nodeId: node.id, name: node.name, ok: true, core: entry.lock.core, weight: entry.weight, error: null };
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
}

/**
 * The job behind a restore: every node of the bookmark in parallel (bounded), each independently,
 * so one dead node does not keep the others on the bad release. Re-running it after a crash is safe:
 * each agent call carries a request id derived from the restore, node and step.
 */
export async function performBookmarkRestore(restoreId: string, options: { concurrency?: number } = {}): Promise<void> {
  const restore = await db.bookmarkRestore.findUnique({ where: { id: restoreId }, include: { bookmark: true } });
  if (!restore || restore.status !== "running") return;
  const entries = bookmarkEntriesSchema.parse(restore.bookmark.nodes);
  const nodes = await db.node.findMany({
    where: { id: { in: entries.map((entry) => entry.nodeId) } },
    select: { id: true, name: true, agentUrl: true, agentSecret: true },
  });
  const nodesById = new Map(nodes.map((node) => [node.id, node]));
  const limit = pLimit(options.concurrency ?? 32);
  const planId = restore.bookmark.planId;
  const outcomes = await Promise.all(
    entries.map((entry) =>
      limit(async () => {
        const node = nodesById.get(entry.nodeId);
        if (!node)
          return { nodeId: entry.nodeId, name: entry.name, ok: false, core: null, weight: null, error: "node no longer registered" };
        return restoreNode(restoreId, planId, node, entry);
      }),
    ),
  );
  const ok = outcomes.every((outcome) => outcome.ok);
  await db.$transaction(async (tx) => {
    await tx.bookmarkRestore.update({
      where: { id: restoreId },
      data: { status: ok ? "succeeded" : "failed", outcome: outcomes, finishedAt: new Date() },
    });
    if (planId) {
      // Keep why the restore was asked for (a tripped guardrail, a failed step, a person).
      const plan = await tx.plan.findUnique({ where: { id: planId }, select: { status: true, statusReason: true } });
      const why = plan?.statusReason?.startsWith("Restoring bookmark")
        ? plan.statusReason.replace(/^Restoring bookmark "[^"]*": /, "")
        : null;
      if (plan?.status === "rolling_back" && ok) {
        const unstarted = await tx.planStep.findMany({
          where: { planId, status: { in: ["pending", "awaiting_activation"] } },
          select: { id: true },
        });
        await applyStepEventToEach(tx, { stepIds: unstarted.map((step) => step.id), event: "skip" });
        await applyPlanEvent(tx, {
          planId,
          event: "roll_back",
          fields: {
            statusReason: `Rolled back to bookmark "${restore.bookmark.label}"${why ? ` after: ${why}` : ""}`,
            finishedAt: new Date(),
          },
        });
      } else if (plan?.status === "rolling_back") {
        const failedNodes = outcomes.filter((outcome) => !outcome.ok).map((outcome) => `${outcome.name}: ${outcome.error ?? "failed"}`);
        await applyPlanEvent(tx, {
          planId,
          event: "rollback_failed",
          fields: {
            statusReason: `Restoring bookmark "${restore.bookmark.label}" failed on ${failedNodes.join("; ")}. Restore again, or abort.`,
          },
        });
      }
    }
    await appendAuditEvent(tx, {
      kind: ok ? "bookmark.restored" : "bookmark.restore_failed",
      actor: null,
      planId,
      data: {
        restoreId,
        bookmarkId: restore.bookmarkId,
        automatic: restore.automatic,
        nodes: outcomes.map(({ name, ok: nodeOk, error }) => ({ name, ok: nodeOk, error })),
      },
    });
  });
}
