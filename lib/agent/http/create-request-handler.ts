import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Webhook } from "standardwebhooks";
import type { z } from "zod";
import { setTimeout as sleep } from "node:timers/promises";
import {
  actionNames,
  actionSchemas,
  agentProtocolLimits,
  cancelOperationRequestSchema,
  isActionName,
  terminalOperationStatuses,
  verifyRequest,
  webhookDigestQuerySchema,
} from "@/lib/protocol";
import type { AgentMetrics } from "../metrics/create-agent-metrics";
import type { OperationStore } from "../operations/create-operation-store";
import type { OperationRunner } from "../operations/create-operation-runner";
import type { AgentReports } from "../reports/create-agent-reports";
import type { ReplayJournal } from "../state/open-replay-journal";
import { AgentHttpError } from "./agent-http-error";
import type { ReplayCache } from "./create-replay-cache";
import { readBody } from "./read-body";
import { sendJson } from "./send-json";

export type RequestHandlerDeps = {
  webhook: Webhook;
  replayCache: ReplayCache;
  /** Where answered webhook-ids go before their answer does; see state/open-replay-journal. */
  replayJournal: Pick<ReplayJournal, "append" | "refuseSignedBeforeMs">;
  reports: AgentReports;
  runner: OperationRunner;
  store: OperationStore;
  metrics: AgentMetrics;
};

type Reply = { status: number; body: unknown };

const OPERATION_ID = /^op_[a-z0-9]{1,40}$/;
const CANCEL_PATH = /^\/v1\/operations\/([^/]+)\/cancel$/;

function fieldIssues(error: z.ZodError) {
  return error.issues.map((issue) => ({ path: issue.path.join(".") || "(body)", message: issue.message }));
}

/** An empty body is `{}`; anything else must be JSON. */
function parseJsonBody(body: string): unknown {
  if (body.trim() === "") return {};
  try {
    return JSON.parse(body);
  } catch {
    throw new AgentHttpError("invalid_request", "body is not valid JSON", { issues: [{ path: "(body)", message: "invalid JSON" }] });
  }
}

/**
 * All HTTP routing for one agent. Order matters: body size first (cheap refusal), then the
 * signature, then the replay check, and only then anything that reads or changes state, so an
 * unauthenticated caller learns nothing and changes nothing. Every answer to a request that got
 * past the replay check waits for its webhook-id to be written to the replay journal.
 */
export function createRequestHandler(deps: RequestHandlerDeps) {
  const { reports, runner, store, replayCache } = deps;

  async function handleV1(req: IncomingMessage, rawPath: string, url: URL): Promise<Reply> {
    const method = req.method ?? "GET";
    const body = await readBody(req, agentProtocolLimits.maxRequestBodyBytes);
    const verified = verifyRequest({ webhook: deps.webhook, method, pathWithQuery: rawPath, body, headers: req.headers });
    if (!verified.ok) throw new AgentHttpError(verified.code, verified.message);

    const action = method === "POST" && url.pathname.startsWith("/v1/actions/") ? url.pathname.slice("/v1/actions/".length) : null;
    const fingerprint = createHash("sha256").update(`${method} ${rawPath}\n${body}`).digest("hex");
    // The replay cache (restored from the journal at start) covers the signature window; retained
    // operations remember their ids longer, so a dashboard retrying an action after a long outage
    // or an agent restart still gets the same one.
    const cached = replayCache.get(verified.id);
    const origin = store.findByWebhookId(verified.id);
    if (cached || origin) {
      const seenFingerprint = origin?.fingerprint ?? cached!.fingerprint;
      const operationId = origin?.operationId ?? cached?.operationId;
      if (action !== null && seenFingerprint === fingerprint && operationId) {
        // Idempotent retry of an accepted action: same operation, 200 instead of 202.
        const operation = store.get(operationId);
        if (operation) return { status: 200, body: { operation } };
      }
      if (action !== null && seenFingerprint !== fingerprint) {
        throw new AgentHttpError("idempotency_conflict", "this webhook-id was already used for a different request; use a new id");
      }
      throw new AgentHttpError(
        "replayed_request",
        "this webhook-id was already used; requests that were refused or read-only cannot be repeated, sign again with a new id",
      );
    }
    // Fail closed after a lost journal: this id may be one the previous process answered.
    const refuseBefore = deps.replayJournal.refuseSignedBeforeMs;
    if (refuseBefore !== null && verified.timestampSec * 1000 < refuseBefore) {
      throw new AgentHttpError(
        "replay_state_lost",
        `this agent lost its replay journal when it started (see its log), so it refuses requests signed before ${new Date(refuseBefore).toISOString()}`,
        { retryAfterSec: Math.max(1, Math.ceil((refuseBefore - Date.now()) / 1000)) },
      );
    }
    if (!replayCache.add(verified.id, fingerprint)) {
      throw new AgentHttpError("replay_cache_full", "too many requests within the signature window; retry shortly");
    }
    const claimed = replayCache.get(verified.id)!;

    let outcome: { reply: Reply } | { error: unknown };
    try {
      outcome = { reply: await route(method, url, body, verified.id, fingerprint, action) };
    } catch (error) {
      outcome = { error };
    }
    // No answer leaves before its id is on disk: a reply (or refusal) that reached anyone must
    // stay spent after a restart. An accepted action was recorded with its id in the operation
    // store before it started, so even a crash right here leaves it mapped, not replayable.
    try {
      await deps.replayJournal.append({ id: verified.id, fingerprint, expiresAt: claimed.expiresAt });
    } catch (error) {
      console.error(`[agent] could not write webhook-id to the replay journal:`, error);
      throw new AgentHttpError(
        "replay_journal_unavailable",
        "the agent could not record this request in its replay journal; retry with a new id",
        {
          retryAfterSec: 1,
        },
      );
    }
    if ("error" in outcome) throw outcome.error;
    return outcome.reply;
  }

  async function route(
    method: string,
    url: URL,
    body: string,
    webhookId: string,
    fingerprint: string,
    action: string | null,
  ): Promise<Reply> {
    if (action !== null) return handleAction(action, body, webhookId, fingerprint);
    const cancel = CANCEL_PATH.exec(url.pathname);
    if (cancel) {
      if (method !== "POST") throw new AgentHttpError("method_not_allowed", "cancel is POST only");
      return handleCancel(cancel[1]!, body);
    }
    if (method !== "GET") throw new AgentHttpError("method_not_allowed", `${method} is not allowed on ${url.pathname}`);
    switch (url.pathname) {
      case "/v1/doctor":
        return { status: 200, body: await reports.doctor() };
      case "/v1/queue-snapshot":
        return { status: 200, body: await reports.queue() };
      case "/v1/webhook-digest": {
        const query = webhookDigestQuerySchema.safeParse(Object.fromEntries(url.searchParams));
        if (!query.success) throw new AgentHttpError("invalid_request", "invalid query", { issues: fieldIssues(query.error) });
        return { status: 200, body: await reports.webhookDigest(query.data.windowSec) };
      }
      case "/v1/readiness":
        return { status: 200, body: await reports.readiness() };
      case "/v1/operations":
        return { status: 200, body: { operations: store.list(50) } };
    }
    if (url.pathname.startsWith("/v1/operations/")) {
      const id = url.pathname.slice("/v1/operations/".length);
      const operation = OPERATION_ID.test(id) ? store.get(id) : undefined;
      if (!operation) throw new AgentHttpError("not_found", `no operation ${id}`);
      return { status: 200, body: operation };
    }
    if (url.pathname.startsWith("/v1/actions/")) {
      throw new AgentHttpError("method_not_allowed", "actions are POST only");
    }
    throw new AgentHttpError("not_found", `no route ${url.pathname}`);
  }

  // POST /v1/operations/:id/cancel — stop a queued or running operation (a plan step timed out)
  async function handleCancel(id: string, body: string): Promise<Reply> {
    if (!OPERATION_ID.test(id) || !store.get(id)) throw new AgentHttpError("not_found", `no operation ${id}`);
    const parsed = cancelOperationRequestSchema.safeParse(parseJsonBody(body));
    if (!parsed.success) throw new AgentHttpError("invalid_request", "invalid cancel request", { issues: fieldIssues(parsed.error) });
    const cancelled = runner.cancel(id, parsed.data.reason);
    if (cancelled.kind === "unknown") throw new AgentHttpError("not_found", `no operation ${id}`);
    if (cancelled.kind === "finished") {
      throw new AgentHttpError("operation_finished", `operation ${id} already ended ${cancelled.operation.status}; nothing to cancel`, {
        operation: cancelled.operation,
      });
    }
    // Steps stop within milliseconds; the bound only keeps a stuck driver from holding the reply.
    const timeout = new AbortController();
    await Promise.race([
      cancelled.stopped,
      sleep(agentProtocolLimits.cancelWaitMs, undefined, { signal: timeout.signal }).catch(() => undefined),
    ]);
    timeout.abort();
    const operation = store.get(id)!;
    return { status: terminalOperationStatuses.has(operation.status) ? 200 : 202, body: { operation } };
  }

  async function handleAction(name: string, body: string, webhookId: string, fingerprint: string): Promise<Reply> {
    if (!isActionName(name)) {
      throw new AgentHttpError("unknown_action", `unknown action "${name}"; known: ${actionNames.join(", ")}`);
    }
    const parsed = actionSchemas[name].safeParse(parseJsonBody(body));
    if (!parsed.success) {
      throw new AgentHttpError("invalid_request", `invalid ${name} request`, { issues: fieldIssues(parsed.error) });
    }
    const submitted = await runner.submit({
      action: name,
      request: parsed.data,
      origin: { webhookId, fingerprint, receivedAt: Date.now() },
    });
    if (submitted.kind === "busy") {
      throw new AgentHttpError("action_in_progress", `operation ${submitted.runningOperationId} is still changing this node`, {
        runningOperationId: submitted.runningOperationId,
      });
    }
    replayCache.attachOperation(webhookId, submitted.operation.id);
    return { status: 202, body: { operation: submitted.operation } };
  }

  return async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawPath = req.url ?? "/";
    try {
      let url: URL;
      try {
        url = new URL(rawPath, "http://agent.invalid");
      } catch {
        throw new AgentHttpError("not_found", "unparseable request target");
      }
      if (url.pathname === "/health") {
        if (req.method !== "GET" && req.method !== "HEAD") throw new AgentHttpError("method_not_allowed", "GET /health");
        return sendJson(res, 200, { ok: true });
      }
      if (url.pathname === "/metrics") {
        if (req.method !== "GET") throw new AgentHttpError("method_not_allowed", "GET /metrics");
        const text = await deps.metrics.render();
        res.writeHead(200, { "content-type": deps.metrics.contentType, "cache-control": "no-store" });
        res.end(text);
        return;
      }
      if (!url.pathname.startsWith("/v1/")) throw new AgentHttpError("not_found", `no route ${url.pathname}`);
      const reply = await handleV1(req, rawPath, url);
      sendJson(res, reply.status, reply.body);
    } catch (error) {
      if (error instanceof AgentHttpError) {
        // After a 413 the rest of the body is still on the wire; closing is cheaper than reading it.
        const close = error.code === "payload_too_large";
        sendJson(res, error.status, error.toBody(), { close, headers: error.headers });
        if (close) req.resume();
        return;
      }
      // A client that hung up mid-request is not an agent error; there is nobody to answer.
      if ((error as NodeJS.ErrnoException).code === "ECONNRESET" || res.destroyed) return;
      console.error(`[agent] ${req.method} ${rawPath} failed:`, error);
      sendJson(res, 500, { error: { code: "internal_error", message: "the agent hit an unexpected error; see its log" } });
    }
  };
}
