import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { doctorReportSchema, queueSnapshotSchema, readinessReportSchema, readyProbeSha256, webhookDigestSchema } from "@/lib/protocol";
import { startTestAgent, type TestAgent } from "./testing/start-test-agent";

describe("agent endpoints over real HTTP", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent();
  });
  afterAll(async () => {
    await t.close();
  });

  it("GET /health is unauthenticated and says nothing else", async () => {
    const response = await fetch(`${t.agent.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(await t.client.health()).toEqual({ ok: true });
  });

  it("GET /v1/* without a signature is refused", async () => {
    const response = await fetch(`${t.agent.url}/v1/doctor`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "missing_signature" } });
  });

  it("GET /v1/doctor reports the standard checks and the installed version", async () => {
    const doctor = doctorReportSchema.parse((await t.signedFetch("GET", "/v1/doctor")).json);
    expect(doctor.version).toBe("2026.11.2");
    expect(doctor.checks.map((c) => c.id)).toEqual(
      expect.arrayContaining(["config-shape", "auth-ready", "plugin-peer-tree", "storage", "tools"]),
    );
    expect(doctor.status).toBe("ok");
  });

  it("GET /v1/queue-snapshot reports a live queue", async () => {
    const queue = await t.client.queueSnapshot();
    expect(queueSnapshotSchema.parse(queue)).toEqual(queue);
    expect(queue.depth).toBeGreaterThan(0);
    expect(queue.inFlight).toBeLessThanOrEqual(queue.depth);
    expect(queue.processingRatePerSec).toBeGreaterThan(0);
    expect(queue.completedRetained).toBeGreaterThan(0);
  });

  it("GET /v1/webhook-digest honours the window and digests its counts", async () => {
    const wide = webhookDigestSchema.parse(await t.client.webhookDigest({ windowSec: 600 }));
    const narrow = await t.client.webhookDigest({ windowSec: 60 });
    expect(wide.windowSec).toBe(600);
    expect(wide.received).toBeGreaterThan(narrow.received);
    expect(wide.digest).not.toBe(narrow.digest);
    expect(Object.values(wide.byEvent).reduce((a, b) => a + b, 0)).toBe(wide.received);
    const bad = await t.signedFetch("GET", "/v1/webhook-digest?windowSec=-3");
    expect(bad.status).toBe(400);
    expect(bad.error!.code).toBe("invalid_request");
  });

  it("GET /v1/readiness merges everything and its probe hash is recomputable", async () => {
    const raw = await t.signedFetch("GET", "/v1/readiness");
    const readiness = readinessReportSchema.parse(raw.json);
    expect(readiness.ready).toBe(true);
    expect(readiness.reasons).toEqual([]);
    expect(readiness.installed.core).toBe(readiness.lockfile?.core);
    expect(readiness.lockfile?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(readiness.lb).toEqual({ weight: 100, drained: false });
    expect(readyProbeSha256(readiness)).toBe(readiness.ready_probe_sha256);
    // The probe ignores volatile parts: a second read agrees although counters moved.
    expect((await t.client.readiness()).ready_probe_sha256).toBe(readiness.ready_probe_sha256);
  });

  it("runs every action to completion and exposes its log", async () => {
    const setWeight = await t.client.setWeight({ weight: 40 });
    expect(setWeight.repeated).toBe(false);
    const done = await t.client.waitForOperation(setWeight.operation.id, { timeoutMs: 5_000, pollMs: 10 });
    expect(done).toMatchObject({ status: "succeeded", action: "set-weight", result: { lb: { weight: 40, drained: false } } });

    for (const run of [
      () => t.client.drain(),
      () => t.client.undrain(),
      () => t.client.runDoctor(),
      () => t.client.restart(),
      () => t.client.verify(),
    ]) {
      const { operation } = await run();
      const finished = await t.client.waitForOperation(operation.id, { timeoutMs: 5_000, pollMs: 10 });
      expect(finished.status, `${operation.action}: ${JSON.stringify(finished.error)}`).toBe("succeeded");
      expect(finished.startedAt).not.toBeNull();
      expect(finished.finishedAt).not.toBeNull();
    }
    const list = await t.client.operations();
    expect(list.length).toBeGreaterThanOrEqual(6);
    expect(list[0]?.action).toBe("verify");
  });

  it("upgrade installs core then plugins, and rollback restores a bookmark", async () => {
    const before = await t.client.readiness();
    const lock = { core: "2026.12.0", plugins: { ...before.installed.plugins, "@openclaw/slack": "2026.12.1" } };
    const { operation } = await t.client.upgrade({ lock });
    const upgraded = await t.client.waitForOperation(operation.id, { timeoutMs: 5_000, pollMs: 10 });
    expect(upgraded.status).toBe("succeeded");
    const messages = upgraded.log.map((line) => line.message);
    const coreAt = messages.findIndex((m) => m.includes("openclaw@2026.12.0"));
    const pluginAt = messages.findIndex((m) => m.includes("plugins install @openclaw/slack@2026.12.1"));
    expect(coreAt).toBeGreaterThanOrEqual(0);
    expect(pluginAt).toBeGreaterThan(coreAt);
    const after = await t.client.readiness();
    expect(after.installed).toEqual({ core: "2026.12.0", plugins: lock.plugins });
    expect(after.ready).toBe(true);
    expect(after.ready_probe_sha256).not.toBe(before.ready_probe_sha256);

    const rollback = await t.client.rollback({ bookmark: { ...before.installed, core: before.installed.core!, weight: 70 } });
    const rolledBack = await t.client.waitForOperation(rollback.operation.id, { timeoutMs: 5_000, pollMs: 10 });
    expect(rolledBack.status).toBe("succeeded");
    const restored = await t.client.readiness();
    expect(restored.installed).toEqual(before.installed);
    expect(restored.lb.weight).toBe(70);
    expect(restored.ready_probe_sha256).toBe(before.ready_probe_sha256);
  });

  it("GET /v1/operations/:id for an unknown id is a 404", async () => {
    const reply = await t.signedFetch("GET", "/v1/operations/op_doesnotexist");
    expect(reply.status).toBe(404);
    expect(reply.error!.code).toBe("not_found");
    await expect(t.client.operation("op_nope")).rejects.toMatchObject({ code: "rejected", status: 404 });
  });
});
