import "server-only";
import pLimit from "p-limit";
import { AppError } from "@/lib/app-error";
import type { BookmarkEntry } from "@/lib/fleet/bookmark-entry";
import { lockSchema } from "@/lib/protocol";
import { agentClientFor, type AgentTarget } from "../agents/run-agent-action";
import { appendAuditEvent } from "../audit-log";
import { db } from "../db";

/** Reads what a node runs right now, in the shape a restore needs. */
async function readBookmarkEntry(node: AgentTarget): Promise<BookmarkEntry> {
  const readiness = await agentClientFor(node).readiness();
  const lock = lockSchema.safeParse({ core: readiness.installed.core, plugins: readiness.installed.plugins });
  if (!lock.success) {
    throw new AppError("precondition_failed", `${node.name} reports no complete installed tree; nothing safe to bookmark.`);
  }
  return {
    nodeId: node.id,
    name: node.name,
    weight: readiness.lb.weight,
    drained: readiness.lb.drained,
    lock: lock.data,
    lockfileSha256: readiness.lockfile?.sha256 ?? null,
    probeSha256: readiness.ready_probe_sha256,
  };
}

/**
 * Records a rollback bookmark for the given nodes, read live from their agents. If any node cannot
 * be read the capture fails: a step must not change a node Rollbook could not bring back.
 */
export async function captureBookmark(options: {
  planId: string | null;
  stepId: string | null;
  scope: "plan" | "node";
  label: string;
  releaseSha256: string | null;
  nodes: AgentTarget[];
}): Promise<string> {
  const limit = pLimit(16);
  const settled = await Promise.allSettled(options.nodes.map((node) => limit(() => readBookmarkEntry(node))));
  const failures = settled.flatMap((result, index) =>
    result.status === "rejected"
      ? [`${options.nodes[index]?.name}: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`]
      : [],
  );
  if (failures.length > 0) {
    throw new AppError("agent_unreachable", `Could not capture a bookmark (${failures.join("; ")}).`);
  }
  const entries = settled.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  return db.$transaction(async (tx) => {
    const bookmark = await tx.bookmark.create({
      data: {
        planId: options.planId,
        stepId: options.stepId,
        scope: options.scope,
        label: options.label,
        releaseSha256: options.releaseSha256,
        nodes: entries,
      },
    });
    await appendAuditEvent(tx, {
      kind: "bookmark.captured",
      planId: options.planId,
      data: { bookmarkId: bookmark.id, label: options.label, scope: options.scope, nodes: entries.map((entry) => entry.name) },
    });
    return bookmark.id;
  });
}
