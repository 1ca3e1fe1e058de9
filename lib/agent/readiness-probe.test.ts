import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readyProbeSha256 } from "@/lib/protocol";
import { defaultSimLock } from "./drivers/sim/create-sim-driver";
import { startTestAgent, type TestAgent } from "./testing/start-test-agent";

describe("ready_probe_sha256 across peers", () => {
  let a: TestAgent;
  let b: TestAgent;
  let c: TestAgent;
  beforeAll(async () => {
    // Different names and seeds: different counters, memory and queues; same release.
    a = await startTestAgent({ name: "peer-a", sim: { seed: 1 } });
    b = await startTestAgent({ name: "peer-b", sim: { seed: 2 } });
    c = await startTestAgent({
      name: "peer-c",
      sim: { seed: 3, initial: { ...defaultSimLock, plugins: { ...defaultSimLock.plugins, "@openclaw/slack": "2026.11.1" } } },
    });
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close(), c.close()]);
  });

  it("agrees between two identical agents although their volatile numbers differ", async () => {
    const [ra, rb] = await Promise.all([a.client.readiness(), b.client.readiness()]);
    expect(ra.queue).not.toEqual(rb.queue);
    expect(ra.node.name).not.toBe(rb.node.name);
    expect(ra.ready_probe_sha256).toBe(rb.ready_probe_sha256);
    // And the dashboard gets the same value recomputing it.
    expect(readyProbeSha256(rb)).toBe(ra.ready_probe_sha256);
  });

  it("differs when one plugin version differs", async () => {
    const [ra, rc] = await Promise.all([a.client.readiness(), c.client.readiness()]);
    expect(rc.ready).toBe(true);
    expect(rc.ready_probe_sha256).not.toBe(ra.ready_probe_sha256);
  });

  it("agrees again once the odd peer is upgraded to the same lock, whatever the key order", async () => {
    const target = (await a.client.readiness()).installed;
    const reversed = Object.fromEntries(Object.entries(target.plugins).reverse());
    const { operation } = await c.client.upgrade({ lock: { core: target.core!, plugins: reversed } });
    expect((await c.client.waitForOperation(operation.id, { timeoutMs: 5_000, pollMs: 10 })).status).toBe("succeeded");
    const [ra, rc] = await Promise.all([a.client.readiness(), c.client.readiness()]);
    expect(rc.lockfile?.sha256).toBe(ra.lockfile?.sha256);
    expect(rc.ready_probe_sha256).toBe(ra.ready_probe_sha256);
  });

  it("differs when a doctor check changes status", async () => {
    const before = await b.client.readiness();
    await b.sim.setFaults({ [before.installed.core!]: { doctorFail: { check: "storage", message: "disk full" } } });
    const after = await b.client.readiness();
    expect(after.ready_probe_sha256).not.toBe(before.ready_probe_sha256);
    await b.sim.setFaults({});
    expect((await b.client.readiness()).ready_probe_sha256).toBe(before.ready_probe_sha256);
  });
});
