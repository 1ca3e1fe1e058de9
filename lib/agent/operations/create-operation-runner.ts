import { mutatingActions, terminalOperationStatuses, type ActionName, type Operation, type OperationResult } from "@/lib/protocol";
import type { StepContext } from "../drivers/agent-driver";
import type { OperationOrigin, OperationStore } from "./create-operation-store";
import { OperationCancelled, OperationFailure } from "./operation-failure";

export type ExecuteOperation = (operation: Operation, ctx: StepContext) => Promise<OperationResult>;

export type SubmitResult = { kind: "created"; operation: Operation } | { kind: "busy"; runningOperationId: string };

export type CancelResult =
  | { kind: "unknown" }
  | { kind: "finished"; operation: Operation }
  /** `stopped` settles once the operation is terminal (or the agent is shutting down). */
  | { kind: "cancelling"; stopped: Promise<void> };

type Tracked = { controller: AbortController; cancel: OperationCancelled | null; stopped: Promise<void>; markStopped: () => void };

/**
 * Starts operations in the background and enforces one mutating action per node at a time:
 * two overlapping changes (say an upgrade and a rollback) would leave nobody able to say what
 * the node is running. Read-only actions (doctor, verify) run alongside.
 */
export function createOperationRunner(options: { store: OperationStore; execute: ExecuteOperation; now?: () => number }) {
  const { store, execute } = options;
  const now = options.now ?? (() => Date.now());
  const shutdown = new AbortController();
  let activeMutating: { id: string; action: ActionName } | null = null;
  // Every operation this process started and that has not ended yet, with its own abort switch.
  const tracked = new Map<string, Tracked>();

  // Called inside the same synchronous update that makes the operation terminal, so no reader
  // can see it succeeded while the node still claims an operation is running.
  function release(id: string): void {
    if (activeMutating?.id === id) activeMutating = null;
  }

  function track(id: string): Tracked {
    let markStopped!: () => void;
    const stopped = new Promise<void>((resolve) => (markStopped = resolve));
    const entry: Tracked = { controller: new AbortController(), cancel: null, stopped, markStopped };
    tracked.set(id, entry);
    return entry;
  }

  async function run(operation: Operation, entry: Tracked): Promise<void> {
    // Read through a function: a cancel can land during any await below.
    const cancelled = (): OperationCancelled | null => entry.cancel;
    const ctx: StepContext = {
      // Its own signal: a cancel stops this operation's step and nothing else.
      signal: AbortSignal.any([shutdown.signal, entry.controller.signal]),
      log: (message, level = "info") => store.log(operation.id, level, message),
    };
    try {
      await store.update(operation.id, (op) => {
        op.status = "running";
        op.startedAt = new Date(now()).toISOString();
      });
      // Cancelled while queued: no step runs at all.
      const early = cancelled();
      if (early) throw early;
      const result = await execute(operation, ctx);
      if (shutdown.signal.aborted) return;
      // A cancel that came in as the last step finished still wins: the caller has already given
      // up on this operation. The result records what the node ended up with.
      const late = cancelled();
      if (late) throw new OperationFailure(late.code, late.message, result);
      await store.update(operation.id, (op) => {
        op.status = "succeeded";
        release(op.id);
        op.result = result;
        op.finishedAt = new Date(now()).toISOString();
      });
    } catch (error) {
      // Shutting down looks like a crash on purpose: the next start marks the operation failed.
      if (shutdown.signal.aborted) return;
      let failure =
        error instanceof OperationFailure
          ? error
          : new OperationFailure("internal_error", `unexpected error: ${error instanceof Error ? error.message : String(error)}`);
      const cancel = cancelled();
      if (cancel && failure.code !== "cancelled") {
        // The step failed on its own while being cancelled (e.g. killed mid-command): say both.
        store.log(operation.id, "warn", `step ended with ${failure.code}: ${failure.message}`);
        failure = new OperationFailure(cancel.code, cancel.message, failure.result);
      }
      store.log(operation.id, "error", failure.message);
      await store.update(operation.id, (op) => {
        op.status = "failed";
        release(op.id);
        op.error = { code: failure.code, message: failure.message };
        op.result = failure.result ?? null;
        op.finishedAt = new Date(now()).toISOString();
      });
    } finally {
      release(operation.id);
      tracked.delete(operation.id);
      entry.markStopped();
    }
  }

  return {
    /** The mutating operation in flight, if any. */
    activeMutating: (): { id: string; action: ActionName } | null => activeMutating,

    async submit(input: { action: ActionName; request: Record<string, unknown>; origin: OperationOrigin | null }): Promise<SubmitResult> {
      const mutating = mutatingActions.has(input.action);
      if (mutating && activeMutating) return { kind: "busy", runningOperationId: activeMutating.id };
      // The store registers the operation synchronously, so the slot is claimed before any
      // await: two requests in the same tick cannot both get through.
      const { operation, persisted } = store.create(input);
      if (mutating) activeMutating = { id: operation.id, action: input.action };
      // Tracked before the first await, so a cancel arriving while it is queued finds it.
      const entry = track(operation.id);
      try {
        await persisted;
      } catch (error) {
        if (activeMutating?.id === operation.id) activeMutating = null;
        tracked.delete(operation.id);
        entry.markStopped();
        throw error;
      }
      void run(operation, entry);
      return { kind: "created", operation };
    },

    /**
     * Aborts a queued or running operation's signal; it then ends failed with code "cancelled".
     * The slot for mutating actions is released only once its step has really stopped, so no
     * second change can start on a node the first is still touching.
     */
    cancel(id: string, reason: string): CancelResult {
      const operation = store.get(id);
      if (!operation) return { kind: "unknown" };
      if (terminalOperationStatuses.has(operation.status)) return { kind: "finished", operation };
      const entry = tracked.get(id);
      if (!entry) {
        // Registered but never started (its first write failed): there is no step to stop.
        const stopped = store.update(id, (op) => {
          op.status = "failed";
          op.error = { code: "cancelled", message: `operation cancelled: ${reason}` };
          op.finishedAt = new Date(now()).toISOString();
        });
        return { kind: "cancelling", stopped: stopped.catch(() => undefined) };
      }
      if (entry.cancel) {
        store.log(id, "warn", `cancel requested again: ${reason}`);
      } else {
        store.log(id, "warn", `cancel requested: ${reason}`);
        entry.cancel = new OperationCancelled(reason);
        entry.controller.abort(entry.cancel);
      }
      return { kind: "cancelling", stopped: entry.stopped };
    },

    /** Abort in-flight steps and stop persisting; running operations stay "running" on disk. */
    async close(): Promise<void> {
      shutdown.abort();
      store.freeze();
      await Promise.allSettled([...tracked.values()].map((entry) => entry.stopped));
    },
  };
}

export type OperationRunner = ReturnType<typeof createOperationRunner>;
