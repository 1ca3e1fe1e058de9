import type { OperationResult } from "@/lib/protocol";

/**
 * A step that failed in an expected, explainable way (installer exited 1, tree mismatch,
 * restart timeout). The runner records `code` and `message` on the operation verbatim, so
 * messages are written for the operator reading the dashboard.
 */
export class OperationFailure extends Error {
  override readonly name = "OperationFailure";
  readonly code: string;
  readonly result: OperationResult | undefined;

  constructor(code: string, message: string, result?: OperationResult) {
    super(message);
    this.code = code;
    this.result = result;
  }
}

/** The abort reason a cancelled operation's signal carries, so steps and run-action can tell it from a shutdown. */
export class OperationCancelled extends OperationFailure {
  readonly reason: string;

  constructor(reason: string) {
    super("cancelled", `operation cancelled: ${reason}`);
    this.reason = reason;
  }
}
