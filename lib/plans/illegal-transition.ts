/**
 * What a refused transition returns instead of throwing: the runner and the server layer decide
 * whether it's a user error (409 "already paused") or a bug, and the message is ready to show.
 */
export interface IllegalTransition<Status extends string, Event extends string> {
  code: "illegal_transition";
  machine: "plan" | "step";
  from: Status;
  event: Event;
  /** Events the current status does accept, for the message and for enabling buttons. */
  allowed: Event[];
  message: string;
}

export type TransitionResult<Status extends string, Event extends string> =
  { ok: true; status: Status } | { ok: false; error: IllegalTransition<Status, Event> };
