import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OperationResult } from "@/lib/protocol";
import { createOperationRunner, type ExecuteOperation } from "./create-operation-runner";
import { createOperationStore, type OperationStore } from "./create-operation-store";
import { OperationFailure } from "./operation-failure";

describe("createOperationRunner cancel", () => {
  let dir: string;
  let store: OperationStore;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "rollbook-runner-"));
    store = await createOperationStore({ stateDir: dir });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const submit = (runner: ReturnType<typeof createOperationRunner>) => runner.submit({ action: "drain", request: {}, origin: null });

  it("keeps the node claimed until a step that ignores the signal has really stopped, then records the cancel", async () => {
    const step: { finish?: (result: OperationResult) => void } = {};
    const execute: ExecuteOperation = () => new Promise((resolve) => (step.finish = resolve));
    const runner = createOperationRunner({ store, execute });
    const created = await submit(runner);
    if (created.kind !== "created") throw new Error("busy");
    while (!step.finish) await new Promise((resolve) => setTimeout(resolve, 5));

    const cancel = runner.cancel(created.operation.id, "step timed out");
    expect(cancel.kind).toBe("cancelling");
    // The step is still touching the node: no second change may start yet.
    expect(await submit(runner)).toMatchObject({ kind: "busy", runningOperationId: created.operation.id });
    expect(store.get(created.operation.id)?.status).toBe("running");

    // It completed anyway: the cancel still wins (the caller gave up on it), with what it produced.
    step.finish({ lb: { weight: 100, drained: true } });
    if (cancel.kind === "cancelling") await cancel.stopped;
    expect(store.get(created.operation.id)).toMatchObject({
      status: "failed",
      error: { code: "cancelled", message: "operation cancelled: step timed out" },
      result: { lb: { drained: true } },
    });
    expect(runner.activeMutating()).toBeNull();
    expect(runner.cancel(created.operation.id, "again")).toMatchObject({ kind: "finished", operation: { status: "failed" } });
    expect(runner.cancel("op_unknown", "x")).toEqual({ kind: "unknown" });
    await runner.close();
  });

  it("a cancel while still queued runs no step at all", async () => {
    let steps = 0;
    const runner = createOperationRunner({ store, execute: async () => (steps++, {}) });
    const created = await submit(runner);
    if (created.kind !== "created") throw new Error("busy");
    const cancel = runner.cancel(created.operation.id, "never mind");
    if (cancel.kind !== "cancelling") throw new Error(cancel.kind);
    await cancel.stopped;
    expect(steps).toBe(0);
    expect(store.get(created.operation.id)).toMatchObject({ status: "failed", error: { code: "cancelled" } });
    await runner.close();
  });

  it("aborts the step's signal; a step that then fails its own way is still recorded as cancelled", async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const execute: ExecuteOperation = (_operation, ctx) =>
      new Promise((_resolve, reject) => {
        started();
        ctx.signal.addEventListener("abort", () => reject(new OperationFailure("command_failed", "installer killed by SIGKILL")));
      });
    const runner = createOperationRunner({ store, execute });
    const created = await submit(runner);
    if (created.kind !== "created") throw new Error("busy");
    await running;
    const cancel = runner.cancel(created.operation.id, "too slow");
    if (cancel.kind !== "cancelling") throw new Error(cancel.kind);
    await cancel.stopped;
    const operation = store.get(created.operation.id)!;
    expect(operation).toMatchObject({ status: "failed", error: { code: "cancelled" } });
    expect(operation.log.map((line) => line.message)).toEqual([
      "cancel requested: too slow",
      "step ended with command_failed: installer killed by SIGKILL",
      "operation cancelled: too slow",
    ]);
    await runner.close();
  });

  it("a cancel does not touch other operations, and shutting down is still a crash, not a cancel", async () => {
    const execute: ExecuteOperation = (_operation, ctx) =>
      new Promise((_resolve, reject) => ctx.signal.addEventListener("abort", () => reject(new Error("aborted"))));
    const runner = createOperationRunner({ store, execute });
    const doctor = await runner.submit({ action: "doctor", request: {}, origin: null });
    const verify = await runner.submit({ action: "verify", request: {}, origin: null });
    if (doctor.kind !== "created" || verify.kind !== "created") throw new Error("busy");
    const cancel = runner.cancel(doctor.operation.id, "x");
    if (cancel.kind !== "cancelling") throw new Error(cancel.kind);
    await cancel.stopped;
    expect(store.get(doctor.operation.id)?.status).toBe("failed");
    expect(store.get(verify.operation.id)?.status).toBe("running");
    await runner.close();
    expect(store.get(verify.operation.id)?.status).toBe("running");
  });
});
