import { randomBytes } from "node:crypto";
import { mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { operationSchema, type ActionName, type Operation, type OperationLogLine } from "@/lib/protocol";
import { createJsonFileWriter, type JsonFileWriter } from "../state/create-json-file-writer";
import { readJsonFile } from "../state/read-json-file";

const MAX_RETAINED = 200;
const MAX_LOG_LINES = 500;
const MAX_LOG_LINE_CHARS = 2000;

/** Who asked for an operation, so an identical signed retry maps back to it, even after a restart. */
export const operationOriginSchema = z.object({
  webhookId: z.string(),
  fingerprint: z.string(),
  receivedAt: z.number(),
});
export type OperationOrigin = z.infer<typeof operationOriginSchema>;

const storedOperationSchema = z.object({ operation: operationSchema, origin: operationOriginSchema.nullable() });
type StoredOperation = z.infer<typeof storedOperationSchema>;

export type OperationStore = Awaited<ReturnType<typeof createOperationStore>>;

/**
 * Operations on disk, one JSON file each (operations/<id>.json, written atomically). On load,
 * anything still queued or running belonged to a process that died: it is marked failed, never
 * assumed to have succeeded, because nobody saw it finish.
 */
export async function createOperationStore(options: { stateDir: string; now?: () => number }) {
  const now = options.now ?? (() => Date.now());
  const dir = path.join(options.stateDir, "operations");
  await mkdir(dir, { recursive: true });
  const records = new Map<string, StoredOperation>();
  const writers = new Map<string, JsonFileWriter>();
  // webhook-id -> operation id, for idempotent retries that arrive after the replay window.
  const byWebhookId = new Map<string, string>();
  let frozen = false;

  function fileOf(id: string): string {
    return path.join(dir, `${id}.json`);
  }

  function persist(id: string): Promise<void> {
    const record = records.get(id);
    if (!record || frozen) return Promise.resolve();
    let writer = writers.get(id);
    if (!writer) {
      writer = createJsonFileWriter(fileOf(id));
      writers.set(id, writer);
    }
    return writer.write(record);
  }

  function appendLog(operation: Operation, level: OperationLogLine["level"], message: string): void {
    if (operation.log.length >= MAX_LOG_LINES) return;
    const text = message.length > MAX_LOG_LINE_CHARS ? `${message.slice(0, MAX_LOG_LINE_CHARS)}…` : message;
    operation.log.push({ at: new Date(now()).toISOString(), level, message: text });
    if (operation.log.length === MAX_LOG_LINES) {
      operation.log.push({ at: new Date(now()).toISOString(), level: "warn", message: "log truncated" });
    }
  }

  async function prune(): Promise<void> {
    const newestFirst = [...records.values()].sort((a, b) => (a.operation.createdAt < b.operation.createdAt ? 1 : -1));
    for (const record of newestFirst.slice(MAX_RETAINED)) {
      if (record.operation.status === "queued" || record.operation.status === "running") continue;
      records.delete(record.operation.id);
      if (record.origin) byWebhookId.delete(record.origin.webhookId);
      writers.get(record.operation.id)?.freeze();
      writers.delete(record.operation.id);
      await rm(fileOf(record.operation.id), { force: true });
    }
  }

  for (const file of await readdir(dir)) {
    if (!file.endsWith(".json")) continue;
    try {
      const record = await readJsonFile(path.join(dir, file), storedOperationSchema);
      if (record) {
        records.set(record.operation.id, record);
        if (record.origin) byWebhookId.set(record.origin.webhookId, record.operation.id);
      }
    } catch (error) {
      // One unreadable file must not keep the agent from starting; it is reported and skipped.
      console.warn(`[agent] skipping operation file ${file}: ${(error as Error).message}`);
    }
  }
  for (const { operation } of records.values()) {
    if (operation.status !== "queued" && operation.status !== "running") continue;
    const was = operation.status;
    operation.status = "failed";
    operation.finishedAt = new Date(now()).toISOString();
    operation.error = {
      code: "agent_restarted",
      message: `agent restarted while this operation was ${was}; steps after the last log line did not run. Check readiness for the installed state.`,
    };
    appendLog(operation, "error", operation.error.message);
    await persist(operation.id);
  }
  await prune();

  return {
    /** Registers the operation synchronously (so callers can claim it in the same tick) and persists it. */
    create(input: { action: ActionName; request: Record<string, unknown>; origin: OperationOrigin | null }): {
      operation: Operation;
      persisted: Promise<void>;
    } {
      const createdAt = now();
      const id = `op_${createdAt.toString(36)}${randomBytes(5).toString("hex")}`;
      const operation: Operation = {
        id,
        action: input.action,
        status: "queued",
        request: input.request,
        createdAt: new Date(createdAt).toISOString(),
        startedAt: null,
        finishedAt: null,
        log: [],
        result: null,
        error: null,
      };
      records.set(id, { operation, origin: input.origin });
      if (input.origin) byWebhookId.set(input.origin.webhookId, id);
      const persisted = persist(id);
      void persisted.then(prune).catch(() => undefined);
      return { operation: structuredClone(operation), persisted };
    },

    /** Mutate an operation in memory and persist it. */
    async update(id: string, change: (operation: Operation) => void): Promise<void> {
      const record = records.get(id);
      if (!record) throw new Error(`unknown operation ${id}`);
      change(record.operation);
      await persist(id);
    },

    log(id: string, level: OperationLogLine["level"], message: string): void {
      const record = records.get(id);
      if (!record) return;
      appendLog(record.operation, level, message);
      void persist(id).catch((error: unknown) => console.warn(`[agent] could not persist log of ${id}: ${String(error)}`));
    },

    get(id: string): Operation | undefined {
      const record = records.get(id);
      return record ? structuredClone(record.operation) : undefined;
    },

    list(limit: number): Operation[] {
      return [...records.values()]
        .map((record) => record.operation)
        .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1))
        .slice(0, limit)
        .map((operation) => structuredClone(operation));
    },

    /** The operation a webhook-id created, if it is still retained. */
    findByWebhookId(webhookId: string): { operationId: string; fingerprint: string } | undefined {
      const operationId = byWebhookId.get(webhookId);
      const origin = operationId ? records.get(operationId)?.origin : undefined;
      return operationId && origin ? { operationId, fingerprint: origin.fingerprint } : undefined;
    },

    /** Origins received after `sinceMs`, to re-arm the replay cache after a restart. */
    originsSince(sinceMs: number): Array<OperationOrigin & { operationId: string }> {
      return [...records.values()]
        .filter((record) => record.origin !== null && record.origin.receivedAt >= sinceMs)
        .map((record) => ({ ...record.origin!, operationId: record.operation.id }));
    },

    /** Stop writing: what is on disk stays exactly as a crash at this moment would leave it. */
    freeze(): void {
      frozen = true;
      for (const writer of writers.values()) writer.freeze();
    },
  };
}
