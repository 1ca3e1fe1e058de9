import { agentErrorStatus, type AgentErrorBody, type AgentErrorCode } from "@/lib/protocol";

/**
 * A refusal with a protocol error code. Thrown anywhere in request handling and turned into
 * `{ error: { code, message, ... } }` with the status from the shared table, in one place.
 */
export class AgentHttpError extends Error {
  override readonly name = "AgentHttpError";
  readonly code: AgentErrorCode;
  readonly extra: Omit<AgentErrorBody["error"], "code" | "message">;

  constructor(code: AgentErrorCode, message: string, extra: Omit<AgentErrorBody["error"], "code" | "message"> = {}) {
    super(message);
    this.code = code;
    this.extra = extra;
  }

  get status(): number {
    return agentErrorStatus[this.code];
  }

  /** Retry-After for refusals that say when trying again can succeed. */
  get headers(): Record<string, string> {
    return this.extra.retryAfterSec === undefined ? {} : { "retry-after": String(this.extra.retryAfterSec) };
  }

  toBody(): AgentErrorBody {
    return { error: { code: this.code, message: this.message, ...this.extra } };
  }
}
