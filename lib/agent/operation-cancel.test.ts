import { afterEach, describe, expect, it } from "vitest";
import { AgentCallError, type AgentClient, type Lock, type Operation } from "@/lib/protocol";
import { startTestAgent, type TestAgent } from "./testing/start-test-agent";

const TARGET: Lock = {
  core: "2026.12.0",
  plugins: { "@openclaw/github": "2026.12.0", "@openclaw/memory-lancedb": "2026.12.0", "@openclaw/slack": "2026.12.0" },
};

/** Polls the operation until a log line matches: the step we want to interrupt has begun. */
async function waitForLog(client: AgentClient, id: string, pattern: RegExp): Promise<Operation> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const operation = await client.operation(id);
    if (operation.log.some((line) => pattern.test(line.message))) return operation;
    if (operation.status === "succeeded" || operation.status === "failed") throw new Error(`operation ended ${operation.status} first`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no log line matching ${pattern}`);
}

async function rejection(promise: Promise<unknown>): Promise<AgentCallError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AgentCallError) return error;
    throw error;
  }
  throw new Error("expected the call to be refused");
}

describe("POST /v1/operations/:id/cancel", () => {
  const agents: TestAgent[] = [];
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((agent) => agent.close()));
  });
  async function start(options: Parameters<typeof startTestAgent>[0] = {}) {
    const agent = await startTestAgent(options);
    agents.push(agent);
    return agent;
  }

  it("stops an upgrade mid core install: failed/cancelled, the old core still installed and reported", async () => {
    // Speed 0.5: the core install takes 1.8 s, so the cancel lands inside it even on a busy machine.
    const t = await start({ sim: { speed: 0.5 } });
    const before = await t.client.readiness();
    const { operation } = await t.client.upgrade({ lock: TARGET });
    await waitForLog(t.client, operation.id, /npm install -g openclaw@2026\.12\.0/);

    const asked = Date.now();
    const cancelled = await t.client.cancelOperation(operation.id, { reason: "step upgrade timed out after 15 min" });
    // Prompt: the rest of the 1.8 s install was not waited out.
    expect(Date.now() - asked).toBeLessThan(1_000);
    expect(cancelled).toMatchObject({
      id: operation.id,
      status: "failed",
      error: { code: "cancelled", message: "operation cancelled: step upgrade timed out after 15 min" },
      result: { installed: before.installed },
    });
    expect(cancelled.finishedAt).not.toBeNull();
    const messages = cancelled.log.map((line) => line.message);
    expect(messages).toContain("cancel requested: step upgrade timed out after 15 min");
    expect(messages.at(-1)).toBe("operation cancelled: step upgrade timed out after 15 min");

    // The sim installs into a copy and swaps it in only when the step completes: nothing was swapped.
    const after = await t.client.readiness();
    expect(after.installed).toEqual(before.installed);
    expect(t.sim.readState().installed.core).toBe(before.installed.core);
    // The lockfile had already been written (first step, on purpose): the mismatch is visible.
    expect(after.lockfile?.core).toBe(TARGET.core);
    expect(after.ready).toBe(false);
    expect(after.reasons.map((reason) => reason.code)).toContain("core_mismatch");
    expect(after.activeOperationId).toBeNull();

    // The slot is free, and bringing the node back to its old lock makes it ready again; had the
    // cancelled install landed late, this would end in tree_mismatch.
    const restore = await t.client.upgrade({ lock: { core: before.installed.core!, plugins: before.installed.plugins } });
    const restored = await t.client.waitForOperation(restore.operation.id, { timeoutMs: 15_000, pollMs: 20 });
    expect(restored.status, JSON.stringify(restored.error)).toBe("succeeded");
    expect(await t.client.readiness()).toMatchObject({ ready: true, installed: before.installed });

    // Cancelling what has ended is refused, with the operation as it ended.
    const finished = await rejection(t.client.cancelOperation(operation.id, { reason: "again" }));
    expect(finished).toMatchObject({
      code: "rejected",
      status: 409,
      agentError: { code: "operation_finished", operation: { id: operation.id, status: "failed", error: { code: "cancelled" } } },
    });
    expect((await t.client.operation(operation.id)).log.map((line) => line.message)).not.toContain("cancel requested: again");
  });

  it("stops a long migration promptly (installs done stay done) and a drain before it commits", async () => {
    const t = await start({ sim: { speed: 20 } });
    await t.sim.setFaults({ [TARGET.core]: { slowMigrationMs: 600_000 } });
    const { operation } = await t.client.upgrade({ lock: TARGET });
    await waitForLog(t.client, operation.id, /running state migrations/);
    const asked = Date.now();
    const cancelled = await t.client.cancelOperation(operation.id, { reason: "migration too slow" });
    expect(Date.now() - asked).toBeLessThan(1_000);
    expect(cancelled).toMatchObject({ status: "failed", error: { code: "cancelled" }, result: { installed: TARGET } });
    expect((await t.client.readiness()).installed).toEqual(TARGET);

    const slow = await start({ sim: { speed: 0.5 } }); // a drain takes 1.2 s here
    const drain = await slow.client.drain({ reason: "maintenance" });
    await waitForLog(slow.client, drain.operation.id, /draining/);
    const stopped = await slow.client.cancelOperation(drain.operation.id, { reason: "changed my mind" });
    expect(stopped).toMatchObject({ status: "failed", error: { code: "cancelled" }, result: { lb: { drained: false } } });
    expect((await slow.client.readiness()).lb.drained).toBe(false);
  });

  it("refuses unsigned, replayed, malformed and misdirected cancels, changing nothing", async () => {
    const t = await start({ sim: { speed: 20 } });
    await t.sim.setFaults({ [TARGET.core]: { slowMigrationMs: 600_000 } });
    const { operation } = await t.client.upgrade({ lock: TARGET });
    const path = `/v1/operations/${operation.id}/cancel`;
    const stillRunning = async () => expect((await t.client.operation(operation.id)).status).toBe("running");

    const unsigned = await fetch(`${t.agent.url}${path}`, { method: "POST", body: '{"reason":"x"}' });
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { error: { code: string } }).error.code).toBe("missing_signature");
    const forged = await t.signedFetch("POST", path, '{"reason":"x"}', { secret: "whsec_" + Buffer.alloc(32, 1).toString("base64") });
    expect(forged.error?.code).toBe("bad_signature");

    for (const body of [
      '{"reason":""}',
      '{"reason":"   "}',
      JSON.stringify({ reason: "x".repeat(501) }),
      '{"reason":"x","force":true}',
      "{}",
      "nope",
    ]) {
      const bad = await t.signedFetch("POST", path, body);
      expect(bad.status, body).toBe(400);
      expect(bad.error?.code).toBe("invalid_request");
    }
    // The client refuses a bad reason before sending anything.
    await expect(t.client.cancelOperation(operation.id, { reason: "" })).rejects.toThrow(/reason|too_small|>=1/i);
    expect((await t.signedFetch("GET", path)).status).toBe(405);
    const unknown = await t.signedFetch("POST", "/v1/operations/op_doesnotexist/cancel", '{"reason":"x"}');
    expect(unknown.status).toBe(404);
    expect(unknown.error?.code).toBe("not_found");
    await expect(t.client.cancelOperation("op_nope", { reason: "x" })).rejects.toMatchObject({
      status: 404,
      agentError: { code: "not_found" },
    });
    await stillRunning();

    const id = `msg_${crypto.randomUUID()}`;
    const first = await t.signedFetch("POST", path, '{"reason":"timed out"}', { id });
    expect(first.status).toBe(200);
    expect(first.operation).toMatchObject({ status: "failed", error: { code: "cancelled" } });
    // The same signed cancel again is a replay, not a second cancel (nor a 409 that reveals state).
    const replayed = await t.signedFetch("POST", path, '{"reason":"timed out"}', { id });
    expect(replayed.status).toBe(401);
    expect(replayed.error?.code).toBe("replayed_request");
    await expect(t.client.cancelOperation(operation.id, { reason: "x" }, { requestId: id })).rejects.toMatchObject({
      status: 401,
      agentError: { code: "replayed_request" },
    });
    const log = (await t.client.operation(operation.id)).log.filter((line) => line.message.startsWith("cancel requested"));
    expect(log).toHaveLength(1);
  });
});
