/**
 * The one error type domain code throws. Transport layers (route handlers, server actions, pages)
 * translate its code into an HTTP status or a form message in exactly one place: `httpStatusFor`.
 */
export type AppErrorCode =
  "unauthenticated" | "forbidden" | "not_found" | "invalid_input" | "conflict" | "precondition_failed" | "agent_unreachable" | "internal";

const HTTP_STATUS: Record<AppErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  invalid_input: 400,
  conflict: 409,
  precondition_failed: 412,
  agent_unreachable: 502,
  internal: 500,
};

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** Field-level messages for forms and JSON clients, keyed by field path ("manifest.model.primary"). */
  readonly fieldErrors: Record<string, string[]> | undefined;

  constructor(code: AppErrorCode, message: string, options?: { fieldErrors?: Record<string, string[]>; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = "AppError";
    this.code = code;
    this.fieldErrors = options?.fieldErrors;
  }
}

export function httpStatusFor(code: AppErrorCode): number {
  return HTTP_STATUS[code];
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
