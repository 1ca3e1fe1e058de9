import { Agent, request, type Dispatcher } from "undici";
import type { z } from "zod";
import { actionSchemas, type ActionBody, type ActionName } from "./action-schemas";
import { AgentCallError } from "./agent-call-error";
import { agentErrorBodySchema } from "./agent-error-schema";
import { agentProtocolLimits } from "./agent-protocol-limits";
import { cancelOperationReplySchema, cancelOperationRequestSchema } from "./cancel-operation-schema";
import { doctorReportSchema, type DoctorReport } from "./doctor-report-schema";
import { healthReplySchema, type HealthReply } from "./health-reply-schema";
import { actionReplySchema, operationListSchema, operationSchema, terminalOperationStatuses, type Operation } from "./operation-schema";
import { queueSnapshotSchema, type QueueSnapshot } from "./queue-snapshot-schema";
import { readinessReportSchema, type ReadinessReport } from "./readiness-report-schema";
import { readLimitedText } from "./read-limited-text";
import { readyProbeSha256 } from "./ready-probe-sha256";
import { signRequest } from "./sign-request";
import { webhookDigestSchema, type WebhookDigest } from "./webhook-digest-schema";

export type AgentClientOptions = {
  /** Base URL of the agent, e.g. "http://127.0.0.1:9099". */
  url: string;
  secret: string;
  /** Budget for one request including reading the reply. */
  timeoutMs?: number;
  maxReplyBytes?: number;
  /** Connection pool to send through; every client shares {@link agentConnections} by default. */
  dispatcher?: Dispatcher;
};

/**
 * One keep-alive pool for every agent this process talks to. The collector polls each agent every
 * few seconds, and agents keep idle connections open longer than that
 * ({@link agentProtocolLimits.keepAliveTimeoutMs}), so a steady-state round reuses one warm
 * connection per agent instead of paying for a TCP handshake per request. undici's request() is
 * used rather than fetch(): at a thousand agents the WHATWG stream machinery behind fetch costs
 * more CPU than everything else in a poll.
 */
export const agentConnections: Dispatcher = new Agent({
  // Idle connections live as long as the agent's Keep-Alive header says (minus a safety margin);
  // this is only the fallback for an agent that sends none.
  keepAliveTimeout: 4_000,
  keepAliveMaxTimeout: agentProtocolLimits.keepAliveTimeoutMs,
  // Two are enough for the collector's readiness + metrics pair; actions and operation polls
  // queue briefly behind them instead of opening more sockets.
  connections: 4,
});

export type ActionOptions = {
  /**
   * webhook-id to send. Pass the same id (with the same body) when retrying after a network
   * failure: the agent answers with the operation it already created instead of starting another.
   */
  requestId?: string;
};

export type ActionAccepted = {
  operation: Operation;
  /** True when the agent recognised an idempotent repeat (HTTP 200 instead of 202). */
  repeated: boolean;
  requestId: string;
};

export type CancelOperationOptions = {
  /** webhook-id to send; a cancel is not idempotent: repeating an id is refused (replayed_request). */
  requestId?: string;
};

export type WaitForOperationOptions = {
  timeoutMs: number;
  pollMs?: number;
  signal?: AbortSignal;
};

type CallOptions = { method: "GET" | "POST"; path: string; body?: string; signed: boolean; requestId?: string; timeoutMs?: number };

/**
 * Typed client for one node agent. Every reply is validated with the shared zod schemas; any
 * failure surfaces as an {@link AgentCallError} with a code the caller can branch on.
 */
export function createAgentClient(options: AgentClientOptions) {
  const base = new URL(options.url);
  const timeoutMs = options.timeoutMs ?? 5_000;
  const maxReplyBytes = options.maxReplyBytes ?? agentProtocolLimits.maxReplyBytes;
  const dispatcher = options.dispatcher ?? agentConnections;

  async function call(callOptions: CallOptions): Promise<{ status: number; text: string; url: string; requestId: string }> {
    const target = new URL(callOptions.path, base);
    // Sign exactly what goes on the request line (URL normalises percent-encoding).
    const pathWithQuery = `${target.pathname}${target.search}`;
    const body = callOptions.body ?? "";
    const headers: Record<string, string> = { accept: "application/json" };
    let requestId = "";
    if (callOptions.signed) {
      const signed = signRequest({
        secret: options.secret,
        method: callOptions.method,
        pathWithQuery,
        body,
        ...(callOptions.requestId === undefined ? {} : { id: callOptions.requestId }),
      });
      Object.assign(headers, signed);
      requestId = signed["webhook-id"];
    }
    if (callOptions.method === "POST") headers["content-type"] = "application/json";

    const url = target.toString();
    const budgetMs = callOptions.timeoutMs ?? timeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), budgetMs);
    try {
      let response: Dispatcher.ResponseData;
      try {
        response = await request(url, {
          dispatcher,
          method: callOptions.method,
          headers,
          ...(callOptions.method === "POST" ? { body } : {}),
          signal: controller.signal,
        });
      } catch (error) {
        if (controller.signal.aborted) {
          throw new AgentCallError({ code: "timeout", message: `no reply from ${url} within ${budgetMs} ms`, url, cause: error });
        }
        throw new AgentCallError({ code: "unreachable", message: `cannot reach ${url}`, url, cause: error });
      }
      const status = response.statusCode;
      const declaredLength = Number(response.headers["content-length"] ?? Number.NaN);
      let text: string | null;
      try {
        text = await readLimitedText(response.body, Number.isNaN(declaredLength) ? undefined : declaredLength, maxReplyBytes);
      } catch (error) {
        if (controller.signal.aborted) {
          throw new AgentCallError({
            code: "timeout",
            message: `reply from ${url} not complete within ${budgetMs} ms`,
            url,
            status,
            cause: error,
          });
        }
        throw new AgentCallError({ code: "bad_reply", message: `reply from ${url} was cut off`, url, status, cause: error });
      }
      if (text === null) {
        throw new AgentCallError({ code: "bad_reply", message: `reply from ${url} exceeds ${maxReplyBytes} bytes`, url, status });
      }
      // Redirects are not followed: an agent that answers 3xx is misconfigured or not an agent.
      if (status < 200 || status > 299) throw errorFromReply(url, status, text);
      return { status, text, url, requestId };
    } finally {
      clearTimeout(timer);
    }
  }

  async function callJson<S extends z.ZodType>(schema: S, callOptions: CallOptions) {
    const reply = await call(callOptions);
    return { ...reply, data: parseReply(schema, reply.url, reply.status, reply.text) };
  }

  async function get<S extends z.ZodType>(schema: S, path: string): Promise<z.infer<S>> {
    return (await callJson(schema, { method: "GET", path, signed: true })).data;
  }

  async function action<A extends ActionName>(name: A, body: ActionBody<A>, actionOptions: ActionOptions = {}): Promise<ActionAccepted> {
    // Fail fast on our own mistakes instead of spending a signed round trip on a 400.
    const checked = actionSchemas[name].parse(body);
    const reply = await callJson(actionReplySchema, {
      method: "POST",
      path: `/v1/actions/${name}`,
      body: JSON.stringify(checked),
      signed: true,
      ...(actionOptions.requestId === undefined ? {} : { requestId: actionOptions.requestId }),
    });
    return { operation: reply.data.operation, repeated: reply.status === 200, requestId: reply.requestId };
  }

  async function operation(id: string): Promise<Operation> {
    return get(operationSchema, `/v1/operations/${encodeURIComponent(id)}`);
  }

  return {
    url: base.toString(),

    async health(): Promise<HealthReply> {
      return (await callJson(healthReplySchema, { method: "GET", path: "/health", signed: false })).data;
    },
    /** Prometheus text exposition (unauthenticated, like any scrape target). */
    async metrics(): Promise<string> {
      return (await call({ method: "GET", path: "/metrics", signed: false })).text;
    },
    doctor: (): Promise<DoctorReport> => get(doctorReportSchema, "/v1/doctor"),
    queueSnapshot: (): Promise<QueueSnapshot> => get(queueSnapshotSchema, "/v1/queue-snapshot"),
    webhookDigest: (query: { windowSec?: number } = {}): Promise<WebhookDigest> =>
      get(webhookDigestSchema, query.windowSec === undefined ? "/v1/webhook-digest" : `/v1/webhook-digest?windowSec=${query.windowSec}`),
    async readiness(): Promise<ReadinessReport> {
      const reply = await callJson(readinessReportSchema, { method: "GET", path: "/v1/readiness", signed: true });
      // The probe hash is what peers get compared by; an agent that computes it differently
      // from the dashboard would make every comparison meaningless, so treat it as a bad reply.
      const expected = readyProbeSha256(reply.data);
      if (expected !== reply.data.ready_probe_sha256) {
        throw new AgentCallError({
          code: "bad_reply",
          message: `ready_probe_sha256 from ${reply.url} does not match its own parts`,
          url: reply.url,
          status: reply.status,
        });
      }
      return reply.data;
    },
    operation,
    operations: async (): Promise<Operation[]> => (await get(operationListSchema, "/v1/operations")).operations,

    action,
    drain: (body: ActionBody<"drain"> = {}, o?: ActionOptions) => action("drain", body, o),
    undrain: (body: ActionBody<"undrain"> = {}, o?: ActionOptions) => action("undrain", body, o),
    setWeight: (body: ActionBody<"set-weight">, o?: ActionOptions) => action("set-weight", body, o),
    upgrade: (body: ActionBody<"upgrade">, o?: ActionOptions) => action("upgrade", body, o),
    runDoctor: (o?: ActionOptions) => action("doctor", {}, o),
    restart: (body: ActionBody<"restart"> = {}, o?: ActionOptions) => action("restart", body, o),
    rollback: (body: ActionBody<"rollback">, o?: ActionOptions) => action("rollback", body, o),
    verify: (body: ActionBody<"verify"> = {}, o?: ActionOptions) => action("verify", body, o),

    /**
     * Stops a queued or running operation (the plan engine's answer to a step timeout) and returns
     * it as it ended: `failed` with error code `cancelled`, the reason in its message and log. If its
     * step did not stop within agentProtocolLimits.cancelWaitMs the agent answers with it still
     * running (it ends cancelled once the step stops; poll it). An operation that had already ended
     * is refused: AgentCallError `rejected`, status 409, `agentError.code` "operation_finished",
     * with the operation in `agentError.operation`; an unknown id is 404 `not_found`.
     */
    async cancelOperation(operationId: string, body: { reason: string }, cancelOptions: CancelOperationOptions = {}): Promise<Operation> {
      const checked = cancelOperationRequestSchema.parse(body);
      const reply = await callJson(cancelOperationReplySchema, {
        method: "POST",
        path: `/v1/operations/${encodeURIComponent(operationId)}/cancel`,
        body: JSON.stringify(checked),
        signed: true,
        // The agent holds the reply until the operation has stopped; do not give up before it does.
        timeoutMs: Math.max(timeoutMs, agentProtocolLimits.cancelWaitMs + 2_000),
        ...(cancelOptions.requestId === undefined ? {} : { requestId: cancelOptions.requestId }),
      });
      return reply.data.operation;
    },

    /**
     * Polls until the operation is succeeded or failed (it resolves either way; check `status`).
     * Transient poll failures are tolerated until the deadline, because an agent restarting
     * mid-operation is exactly when a caller is waiting.
     */
    async waitForOperation(id: string, waitOptions: WaitForOperationOptions): Promise<Operation> {
      const deadline = Date.now() + waitOptions.timeoutMs;
      const pollMs = waitOptions.pollMs ?? 250;
      let lastError: unknown;
      for (;;) {
        waitOptions.signal?.throwIfAborted();
        try {
          const current = await operation(id);
          if (terminalOperationStatuses.has(current.status)) return current;
          lastError = undefined;
        } catch (error) {
          // A rejection (e.g. unknown id) will not heal by waiting.
          if (error instanceof AgentCallError && (error.code === "rejected" || error.code === "bad_reply")) throw error;
          lastError = error;
        }
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
          throw new AgentCallError({
            code: "timeout",
            message: `operation ${id} did not finish within ${waitOptions.timeoutMs} ms`,
            url: new URL(`/v1/operations/${encodeURIComponent(id)}`, base).toString(),
            cause: lastError,
          });
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, remaining)));
      }
    },
  };
}

export type AgentClient = ReturnType<typeof createAgentClient>;

function parseReply<S extends z.ZodType>(schema: S, url: string, status: number, text: string): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AgentCallError({ code: "bad_reply", message: `reply from ${url} is not JSON`, url, status, cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new AgentCallError({
      code: "bad_reply",
      message: `reply from ${url} does not match the protocol: ${first ? `${first.path.join(".") || "(root)"}: ${first.message}` : "invalid"}`,
      url,
      status,
      cause: parsed.error,
    });
  }
  return parsed.data;
}

function errorFromReply(url: string, status: number, text: string): AgentCallError {
  let agentError;
  try {
    const parsed = agentErrorBodySchema.safeParse(JSON.parse(text));
    if (parsed.success) agentError = parsed.data.error;
  } catch {
    // Not JSON: a proxy page or a crashed handler; reported as http_error below.
  }
  if (agentError && status >= 400 && status < 500) {
    return new AgentCallError({ code: "rejected", message: `${agentError.code}: ${agentError.message}`, url, status, agentError });
  }
  return new AgentCallError({
    code: "http_error",
    message: `HTTP ${status} from ${url}${agentError ? `: ${agentError.code}: ${agentError.message}` : ""}`,
    url,
    status,
    ...(agentError ? { agentError } : {}),
  });
}
