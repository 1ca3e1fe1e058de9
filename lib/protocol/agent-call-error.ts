import type { AgentErrorBody } from "./agent-error-schema";

/**
 * Why a call to an agent did not produce a valid reply:
 * - `timeout`: no complete reply within timeoutMs (or an operation did not finish in time);
 * - `unreachable`: connection refused/reset, DNS failure: nothing answered;
 * - `bad_reply`: a 2xx whose body is not JSON, fails the zod schema, or exceeds the size cap;
 * - `rejected`: a 4xx with a well-formed `{error:{code,message}}` (auth, validation, conflict);
 * - `http_error`: any other non-2xx (5xx, proxies' HTML error pages, ...).
 */
export type AgentCallErrorCode = "timeout" | "unreachable" | "bad_reply" | "http_error" | "rejected";

export class AgentCallError extends Error {
  override readonly name = "AgentCallError";
  readonly code: AgentCallErrorCode;
  readonly url: string;
  /** HTTP status when the agent answered at all. */
  readonly status: number | undefined;
  /** The agent's structured error, when it sent one. */
  readonly agentError: AgentErrorBody["error"] | undefined;

  constructor(options: {
    code: AgentCallErrorCode;
    message: string;
    url: string;
    status?: number;
    agentError?: AgentErrorBody["error"];
    cause?: unknown;
  }) {
    super(options.message, { cause: options.cause });
    this.code = options.code;
    this.url = options.url;
    this.status = options.status;
    this.agentError = options.agentError;
  }
}
