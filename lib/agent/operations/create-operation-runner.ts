import { mutatingActions, type ActionName, type Operation, type OperationResult } from "@/lib/protocol";
import type { StepContext } from "../drivers/agent-driver";
import type { OperationOrigin, OperationStore } from "./create-operation-store";
import { OperationFailure } from "./operation-failure";

export type ExecuteOperation = (operation: Operation, ctx: StepContext) => Promise<OperationResult>;

export type SubmitResult = { kind: "created"; operation: Operation } | { kind: "busy"; runningOperationId: string };

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
  const running = new Set<Promise<void>>();

  // Called inside the same synchronous update that makes the operation terminal, so no reader
  // can see it succeeded while the node still claims an operation is running.
  function release(id: string): void {
    if (activeMutating?.id === id) activeMutating = null;
  }

  async function run(operation: Operation): Promise<void> {
    const ctx: StepContext = {
      signal: shutdown.signal,
      log: (message, level = "info") => store.log(operation.id, level, message),
    };
    try {
      await store.update(operation.id, (op) => {
        op.status = "running";
        op.startedAt = new Date(now()).toISOString();
      });
      const result = await execute(operation, ctx);
      if (shutdown.signal.aborted) return;
      await store.update(operation.id, (op) => {
        op.status = "succeeded";
        release(op.id);
        op.result = result;
        op.finishedAt = new Date(now()).toISOString();
      });
    } catch (error) {
      // Shutting down looks like a crash on purpose: the next start marks the operation failed.
      if (shutdown.signal.aborted) return;
      const failure =
        error instanceof OperationFailure
          ? error
          : new OperationFailure("internal_error", `unexpected error: ${error instanceof Error ? error.message : String(error)}`);
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
      try {
        await persisted;
      } catch (error) {
        if (activeMutating?.id === operation.id) activeMutating = null;
        throw error;
      }
      const task = run(operation);
      running.add(task);
      void task.finally(() => running.delete(task));
      return { kind: "created", operation };
    },

    /** Abort in-flight steps and stop persisting; running operations stay "running" on disk. */
    async close(): Promise<void> {
      shutdown.abort();
      store.freeze();
      await Promise.allSettled([...running]);
    },
  };
}

export type OperationRunner = ReturnType<typeof createOperationRunner>;
