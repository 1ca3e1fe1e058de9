import { afterEach, describe, expect, it } from "vitest";
import type { Lock } from "@/lib/protocol";
import { simFaultMapSchema } from "./drivers/sim/sim-faults-schema";
import { startTestAgent, type TestAgent } from "./testing/start-test-agent";

const TARGET: Lock = {
  core: "2026.12.0",
  plugins: { "@openclaw/github": "2026.12.0", "@openclaw/memory-lancedb": "2026.12.0", "@openclaw/slack": "2026.12.0" },
};

async function metric(t: TestAgent, name: string): Promise<number> {
  const line = (await t.client.metrics()).split("\n").find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`metric ${name} missing`);
  return Number(line.split(" ")[1]);
}

async function upgrade(t: TestAgent, lock: Lock = TARGET) {
  const { operation } = await t.client.upgrade({ lock });
  return t.client.waitForOperation(operation.id, { timeoutMs: 10_000, pollMs: 10 });
}

describe("scripted faults of the sim driver", () => {
  let t: TestAgent | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it("a leaking release raises memory over scaled time until doctor flags it", async () => {
    // 4 h of uptime compressed into 2 s.
    t = await startTestAgent({
      sim: { timeScale: (4 * 3600) / 2, faults: simFaultMapSchema.parse({ [TARGET.core]: { memoryLeak: {} } }) },
    });
    const before = await metric(t, "openclaw_memory_bytes");
    expect((await upgrade(t)).status).toBe("succeeded");
    const justUpgraded = await metric(t, "openclaw_memory_bytes");
    await new Promise((resolve) => setTimeout(resolve, 600));
    const later = await metric(t, "openclaw_memory_bytes");
    expect(before).toBeLessThan(2.5e9);
    expect(later - justUpgraded).toBeGreaterThan(1e9);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(await metric(t, "openclaw_memory_bytes")).toBeGreaterThan(7e9);
    const memoryCheck = (await t.client.doctor()).checks.find((check) => check.id === "memory");
    expect(memoryCheck?.status).not.toBe("ok");
  });

  it("a doctor check failing after upgrade makes the node not ready and verify fail", async () => {
    t = await startTestAgent({ sim: { faults: simFaultMapSchema.parse({ [TARGET.core]: { doctorFail: { check: "tools" } } }) } });
    expect((await t.client.readiness()).ready).toBe(true);
    expect((await upgrade(t)).status).toBe("succeeded");
    const readiness = await t.client.readiness();
    expect(readiness.installed).toEqual(TARGET);
    expect(readiness.ready).toBe(false);
    expect(readiness.reasons.map((r) => r.code)).toEqual(["doctor_fail"]);
    expect(readiness.doctor.checks.find((c) => c.id === "tools")?.status).toBe("fail");
    const verify = await t.client.waitForOperation((await t.client.verify()).operation.id, { timeoutMs: 5_000, pollMs: 10 });
    expect(verify).toMatchObject({ status: "failed", error: { code: "not_ready" }, result: { ready: false } });
  });

  it("a crash mid-upgrade leaves core upgraded, plugins not, and the node honestly not ready", async () => {
    t = await startTestAgent({ sim: { faults: simFaultMapSchema.parse({ [TARGET.core]: { crashMidUpgrade: true } }) } });
    const before = await t.client.readiness();
    const op = await upgrade(t);
    expect(op).toMatchObject({ status: "failed", error: { code: "gateway_crashed" } });
    const readiness = await t.client.readiness();
    expect(readiness.installed.core).toBe(TARGET.core);
    expect(readiness.installed.plugins).toEqual(before.installed.plugins);
    expect(readiness.lockfile?.core).toBe(TARGET.core);
    expect(readiness.ready).toBe(false);
    expect(readiness.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(["plugin_mismatch", "doctor_fail"]));

    // Rolling back to the bookmark brings it back.
    const rollback = await t.client.rollback({ bookmark: { core: before.installed.core!, plugins: before.installed.plugins } });
    const done = await t.client.waitForOperation(rollback.operation.id, { timeoutMs: 10_000, pollMs: 10 });
    expect(done.status).toBe("succeeded");
    const restored = await t.client.readiness();
    expect(restored.ready).toBe(true);
    expect(restored.ready_probe_sha256).toBe(before.ready_probe_sha256);
  });

  it("refuses to finish an upgrade whose installed tree does not match the lock", async () => {
    t = await startTestAgent({
      sim: { faults: simFaultMapSchema.parse({ [TARGET.core]: { pluginDrift: { "@openclaw/slack": "2026.12.1-rc.1" } } }) },
    });
    const op = await upgrade(t);
    expect(op).toMatchObject({ status: "failed", error: { code: "tree_mismatch" } });
    expect(op.error?.message).toContain("@openclaw/slack 2026.12.1-rc.1 installed, lock wants 2026.12.0");
    expect(op.result?.installed?.plugins["@openclaw/slack"]).toBe("2026.12.1-rc.1");
    expect((await t.client.readiness()).ready).toBe(false);
  });

  it("a restart that never comes back fails the operation and leaves the node down", async () => {
    t = await startTestAgent({ sim: { speed: 40, faults: simFaultMapSchema.parse({ "2026.11.2": { restartNeverReturns: true } }) } });
    const { operation } = await t.client.restart();
    const done = await t.client.waitForOperation(operation.id, { timeoutMs: 5_000, pollMs: 10 });
    expect(done).toMatchObject({ status: "failed", error: { code: "restart_timeout" } });
    const readiness = await t.client.readiness();
    expect(readiness.ready).toBe(false);
    expect(readiness.doctor.checks.find((c) => c.id === "service")?.status).toBe("fail");
    expect(readiness.queue.processingRatePerSec).toBe(0);
  });

  it("a long migration keeps the upgrade running well past a normal one", async () => {
    t = await startTestAgent({ sim: { faults: simFaultMapSchema.parse({ [TARGET.core]: { slowMigrationMs: 30_000 } }) } });
    const { operation } = await t.client.upgrade({ lock: TARGET });
    await new Promise((resolve) => setTimeout(resolve, 600)); // a normal upgrade at speed 20 takes ~130 ms
    const running = await t.client.operation(operation.id);
    expect(running.status).toBe("running");
    expect(running.log.at(-1)?.message).toMatch(/migrations .*take a while/);
    const done = await t.client.waitForOperation(operation.id, { timeoutMs: 5_000, pollMs: 20 });
    expect(done.status).toBe("succeeded");
  });
});
