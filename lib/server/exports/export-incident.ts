import "server-only";
import { AppError } from "@/lib/app-error";
import { exportEventsCsv, exportEventsJson, exportPostmortemMarkdown, toIncidentPlanSummary, toReadableStream } from "@/lib/exports";
import { auditCheckpointKey } from "../audit/audit-checkpoint-key";
import { currentAuditCheckpoint } from "../audit/current-audit-checkpoint";
import { auditEventsInOrder } from "../audit-log";
import { db } from "../db";
import { getPlanDetailOrThrow } from "../plans/get-plan-detail";
import type { SessionUser } from "../users";

export type ExportFormat = "md" | "json" | "csv";
export type ExportScope = { planId: string } | { from: Date; to: Date };

const CONTENT_TYPES: Record<ExportFormat, string> = {
  md: "text/markdown; charset=utf-8",
  json: "application/json; charset=utf-8",
  csv: "text/csv; charset=utf-8",
};

/**
 * The events of a scope. A plan exports the contiguous run of the log from its first to its last
 * event (other events inside that run come along), because a hash chain can only be verified
 * offline over consecutive rows; the Markdown draft picks the plan's own events from it.
 */
async function eventsFor(scope: ExportScope) {
  if ("planId" in scope) {
    const bounds = await db.auditEvent.aggregate({ where: { planId: scope.planId }, _min: { seq: true }, _max: { seq: true } });
    if (bounds._min.seq === null || bounds._max.seq === null) return auditEventsInOrder({ fromSeq: 1n, toSeq: 0n });
    return auditEventsInOrder({ fromSeq: bounds._min.seq, toSeq: bounds._max.seq });
  }
  return auditEventsInOrder({ from: scope.from, to: scope.to });
}

/** An incident-review export as a streamed HTTP response (Markdown, JSON bundle or CSV). Viewers and above. */
export async function exportIncident(options: { actor: SessionUser; scope: ExportScope; format: ExportFormat }): Promise<Response> {
  const { actor, scope, format } = options;
  const generatedAt = new Date();
  const plan = "planId" in scope ? await getPlanDetailOrThrow({ actor, planId: scope.planId }) : null;
  const stem = plan
    ? `rollbook-plan-${plan.id}`
    : `rollbook-${scope && "from" in scope ? `${scope.from.toISOString()}_${scope.to.toISOString()}` : "events"}`.replaceAll(":", "");
  if ("from" in scope && !(scope.from < scope.to))
    throw new AppError("invalid_input", "The window must end after it starts.", { fieldErrors: { to: ["must be after from"] } });
  // The log's signed head, read before the events: every export carries it (docs/exports.md).
  const checkpoint = await currentAuditCheckpoint(generatedAt);
  const events = await eventsFor(scope);
  const headers = {
    "content-type": CONTENT_TYPES[format],
    "content-disposition": `attachment; filename="${stem}.${format}"`,
    "cache-control": "no-store",
  };

  if (format === "csv") return new Response(toReadableStream(exportEventsCsv(events, { checkpoint })), { headers });
  if (format === "json") {
    const bundleScope = plan
      ? { planId: plan.id }
      : { from: (scope as { from: Date }).from.toISOString(), to: (scope as { to: Date }).to.toISOString() };
    return new Response(
      toReadableStream(
        exportEventsJson(events, {
          scope: bundleScope,
          generatedAt,
          checkpoints: { signer: auditCheckpointKey(), logHead: checkpoint },
          ...(plan ? { plan: toIncidentPlanSummary(plan) } : {}),
        }),
      ),
      { headers },
    );
  }
  const markdown = plan
    ? await exportPostmortemMarkdown({ events, generatedAt, checkpoint, plan })
    : await exportPostmortemMarkdown({ events, generatedAt, checkpoint, window: scope as { from: Date; to: Date } });
  return new Response(markdown, { headers });
}
