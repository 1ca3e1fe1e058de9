import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { agentErrorBodySchema, agentProtocolLimits, generateAgentSecret, signRequest } from "@/lib/protocol";
import { startTestAgent, type TestAgent } from "./testing/start-test-agent";

/** Whatever a rejected request tried, LB state and the operation list must be untouched. */
async function expectNothingChanged(t: TestAgent, before: { weight: number; operations: number }) {
  const readiness = await t.client.readiness();
  expect(readiness.lb.weight).toBe(before.weight);
  expect((await t.client.operations()).length).toBe(before.operations);
}

async function baseline(t: TestAgent) {
  return { weight: (await t.client.readiness()).lb.weight, operations: (await t.client.operations()).length };
}

describe("request authentication and rejections", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent();
  });
  afterAll(async () => {
    await t.close();
  });

  it("rejects a signature made with another secret", async () => {
    const before = await baseline(t);
    const reply = await t.signedFetch("POST", "/v1/actions/set-weight", '{"weight":5}', { secret: generateAgentSecret() });
    expect(reply.status).toBe(401);
    expect(reply.error?.code).toBe("bad_signature");
    expect(Object.keys(reply.json as object)).toEqual(["error"]);
    await expectNothingChanged(t, before);
  });

  it("rejects a tampered body under a valid signature", async () => {
    const before = await baseline(t);
    const headers = signRequest({ secret: t.secret, method: "POST", pathWithQuery: "/v1/actions/set-weight", body: '{"weight":50}' });
    const response = await fetch(`${t.agent.url}/v1/actions/set-weight`, { method: "POST", headers, body: '{"weight":0}' });
    expect(response.status).toBe(401);
    expect(agentErrorBodySchema.parse(await response.json()).error.code).toBe("bad_signature");
    await expectNothingChanged(t, before);
  });

  it("binds method and path: a signature for drain cannot be used on set-weight", async () => {
    const before = await baseline(t);
    const moved = await t.signedFetch("POST", "/v1/actions/set-weight", "{}", { signedPath: "/v1/actions/drain" });
    expect(moved.status).toBe(401);
    expect(moved.error!.code).toBe("bad_signature");
    const otherMethod = await t.signedFetch("GET", "/v1/doctor", "", { signedMethod: "POST" });
    expect(otherMethod.status).toBe(401);
    await expectNothingChanged(t, before);
  });

  it("rejects timestamps older than 5 minutes and too far in the future", async () => {
    const before = await baseline(t);
    const stale = await t.signedFetch("POST", "/v1/actions/set-weight", '{"weight":1}', { timestamp: new Date(Date.now() - 6 * 60_000) });
    expect(stale.status).toBe(401);
    expect(stale.error!.code).toBe("stale_timestamp");
    const future = await t.signedFetch("POST", "/v1/actions/set-weight", '{"weight":1}', { timestamp: new Date(Date.now() + 6 * 60_000) });
    expect(future.status).toBe(401);
    expect(future.error!.code).toBe("stale_timestamp");
    // Inside the window is fine.
    const recent = await t.signedFetch("GET", "/v1/doctor", "", { timestamp: new Date(Date.now() - 4 * 60_000) });
    expect(recent.status).toBe(200);
    await expectNothingChanged(t, before);
  });

  it("rejects missing headers", async () => {
    const response = await fetch(`${t.agent.url}/v1/readiness`, { headers: { "webhook-id": "msg_x", "webhook-timestamp": "1" } });
    expect(response.status).toBe(401);
    expect(agentErrorBodySchema.parse(await response.json()).error.code).toBe("missing_signature");
  });

  it("rejects a replayed webhook-id on reads", async () => {
    const id = `msg_${crypto.randomUUID()}`;
    expect((await t.signedFetch("GET", "/v1/doctor", "", { id })).status).toBe(200);
    const replay = await t.signedFetch("GET", "/v1/doctor", "", { id });
    expect(replay.status).toBe(401);
    expect(replay.error!.code).toBe("replayed_request");
  });

  it("treats a repeated action with the same id and body as the same operation", async () => {
    const id = `msg_${crypto.randomUUID()}`;
    const first = await t.signedFetch("POST", "/v1/actions/set-weight", '{"weight":33}', { id });
    expect(first.status).toBe(202);
    const second = await t.signedFetch("POST", "/v1/actions/set-weight", '{"weight":33}', { id });
    expect(second.status).toBe(200);
    expect(second.operation!.id).toBe(first.operation!.id);
    // Through the client too: same requestId, repeated flag.
    const done = await t.client.waitForOperation(first.operation!.id, { timeoutMs: 5_000, pollMs: 10 });
    expect(done.status).toBe("succeeded");
    const again = await t.client.setWeight({ weight: 33 }, { requestId: id });
    expect(again).toMatchObject({ repeated: true, operation: { id: first.operation!.id, status: "succeeded" } });
    const operations = await t.client.operations();
    expect(operations.filter((op) => op.id === first.operation!.id)).toHaveLength(1);
  });

  it("still recognises an idempotent retry after the replay window has passed", async () => {
    const id = `msg_${crypto.randomUUID()}`;
    const first = await t.signedFetch("POST", "/v1/actions/set-weight", '{"weight":34}', { id });
    await t.client.waitForOperation(first.operation!.id, { timeoutMs: 5_000, pollMs: 10 });
    // Only Date is faked: the client signs and the agent checks with the same shifted clock.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 15 * 60_000 });
    try {
      const retry = await t.signedFetch("POST", "/v1/actions/set-weight", '{"weight":34}', { id });
      expect(retry.status).toBe(200);
      expect(retry.operation).toMatchObject({ id: first.operation!.id, status: "succeeded" });
      const reused = await t.signedFetch("POST", "/v1/actions/set-weight", '{"weight":35}', { id });
      expect(reused.status).toBe(409);
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses the same id with a different body (409 idempotency_conflict)", async () => {
    const id = `msg_${crypto.randomUUID()}`;
    const first = await t.signedFetch("POST", "/v1/actions/set-weight", '{"weight":60}', { id });
    expect(first.status).toBe(202);
    await t.client.waitForOperation(first.operation!.id, { timeoutMs: 5_000, pollMs: 10 });
    const before = await baseline(t);
    const conflict = await t.signedFetch("POST", "/v1/actions/set-weight", '{"weight":61}', { id });
    expect(conflict.status).toBe(409);
    expect(conflict.error!.code).toBe("idempotency_conflict");
    await expectNothingChanged(t, before);
  });

  it("answers a malformed body with 400 and zod field errors", async () => {
    const before = await baseline(t);
    const outOfRange = await t.signedFetch("POST", "/v1/actions/set-weight", '{"weight":101}');
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.error!.code).toBe("invalid_request");
    expect(outOfRange.error!.issues?.map((issue) => issue.path)).toEqual(["weight"]);
    expect(outOfRange.error!.issues?.[0]?.message).toMatch(/100/);
    const notJson = await t.signedFetch("POST", "/v1/actions/set-weight", "{weight:");
    expect(notJson.status).toBe(400);
    const badVersion = await t.signedFetch(
      "POST",
      "/v1/actions/upgrade",
      JSON.stringify({ lock: { core: "latest", plugins: { "Bad Name": "1.0.0" } } }),
    );
    expect(badVersion.status).toBe(400);
    expect(badVersion.error?.issues?.map((issue) => issue.path).sort()).toEqual(["lock.core", "lock.plugins.Bad Name"]);
    const extraField = await t.signedFetch("POST", "/v1/actions/drain", '{"force":true}');
    expect(extraField.status).toBe(400);
    await expectNothingChanged(t, before);
  });

  it("answers an unknown action with 404 unknown_action", async () => {
    const reply = await t.signedFetch("POST", "/v1/actions/self-destruct", "{}");
    expect(reply.status).toBe(404);
    expect(reply.error!.code).toBe("unknown_action");
  });

  it("refuses a second mutating action while one runs (409 with the running id)", async () => {
    // A long migration keeps the upgrade busy for ~1 s, so a loaded machine cannot finish it early.
    await t.sim.setFaults({ "2026.11.3": { slowMigrationMs: 20_000 } });
    const plugins = (await t.client.readiness()).installed.plugins;
    const upgrade = await t.client.upgrade({ lock: { core: "2026.11.3", plugins } });
    const before = (await t.client.operations()).length;
    const second = await t.signedFetch("POST", "/v1/actions/drain", "{}");
    expect(second.status).toBe(409);
    expect(second.error).toMatchObject({ code: "action_in_progress", runningOperationId: upgrade.operation.id });
    await expect(t.client.setWeight({ weight: 1 })).rejects.toMatchObject({
      code: "rejected",
      status: 409,
      agentError: { code: "action_in_progress", runningOperationId: upgrade.operation.id },
    });
    // Read-only actions may still run alongside.
    const doctor = await t.client.runDoctor();
    expect((await t.client.operations()).length).toBe(before + 1);
    expect((await t.client.readiness()).reasons.map((r) => r.code)).toContain("operation_running");
    await t.client.waitForOperation(doctor.operation.id, { timeoutMs: 5_000, pollMs: 10 });
    const finished = await t.client.waitForOperation(upgrade.operation.id, { timeoutMs: 5_000, pollMs: 10 });
    expect(finished.status).toBe("succeeded");
    // Free again once it finished.
    const after = await t.client.drain();
    await t.client.waitForOperation(after.operation.id, { timeoutMs: 5_000, pollMs: 10 });
    await t.client.waitForOperation((await t.client.undrain()).operation.id, { timeoutMs: 5_000, pollMs: 10 });
  });

  it("answers an oversized body with 413 before reading it", async () => {
    const before = await baseline(t);
    const big = JSON.stringify({ reason: "x".repeat(agentProtocolLimits.maxRequestBodyBytes + 10) });
    const reply = await t.signedFetch("POST", "/v1/actions/drain", big);
    expect(reply.status).toBe(413);
    expect(reply.error!.code).toBe("payload_too_large");
    await expectNothingChanged(t, before);
  });

  it("answers an oversized chunked body (no content-length) with 413", async () => {
    const url = new URL(`${t.agent.url}/v1/actions/drain`);
    const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: "POST" }, (res) => {
        let body = "";
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      const chunk = "y".repeat(16 * 1024);
      for (let i = 0; i < 6; i++) req.write(chunk);
      req.end();
    });
    expect(status.status).toBe(413);
    expect(agentErrorBodySchema.parse(JSON.parse(status.body)).error.code).toBe("payload_too_large");
  });

  it("survives garbage: bad methods, odd paths, invalid headers", async () => {
    expect((await fetch(`${t.agent.url}/nope`)).status).toBe(404);
    expect((await fetch(`${t.agent.url}/health`, { method: "DELETE" })).status).toBe(405);
    const weird = await fetch(`${t.agent.url}/v1/doctor`, {
      headers: { "webhook-id": "x".repeat(500), "webhook-timestamp": "abc", "webhook-signature": "v1,???" },
    });
    expect(weird.status).toBe(401);
    const getAction = await t.signedFetch("GET", "/v1/actions/drain");
    expect(getAction.status).toBe(405);
    expect((await t.client.health()).ok).toBe(true);
  });
});
