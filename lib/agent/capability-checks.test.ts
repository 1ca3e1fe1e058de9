import { afterEach, describe, expect, it } from "vitest";
import { capabilityReportSchema, type CapabilityCheck, type Lock, type Operation } from "@/lib/protocol";
import { simFaultMapSchema } from "./drivers/sim/sim-faults-schema";
import { startTestAgent, type TestAgent } from "./testing/start-test-agent";

const TARGET: Lock = {
  core: "2026.12.0",
  plugins: { "@openclaw/github": "2026.12.0", "@openclaw/memory-lancedb": "2026.12.0", "@openclaw/slack": "2026.12.0" },
};

const RELEASE_CHECKS: CapabilityCheck[] = [
  { id: "tool-roundtrip", kind: "tool_call_round_trip", weight: 2 },
  { id: "memory-recency", kind: "memory_lookup", description: "newest anchor first" },
  { id: "long-work", kind: "long_work_delivery", timeoutMs: 120_000 },
  { id: "model-reply", kind: "model_reply", weight: 2 },
];

/** Value of one series in a /metrics exposition, or undefined when absent. */
function series(text: string, name: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

async function verify(t: TestAgent, body: Parameters<TestAgent["client"]["verify"]>[0] = {}): Promise<Operation> {
  const { operation } = await t.client.verify(body);
  return t.client.waitForOperation(operation.id, { timeoutMs: 5_000, pollMs: 10 });
}

async function upgrade(t: TestAgent) {
  const { operation } = await t.client.upgrade({ lock: TARGET });
  expect((await t.client.waitForOperation(operation.id, { timeoutMs: 10_000, pollMs: 10 })).status).toBe("succeeded");
}

describe("capability checks through the signed HTTP API", () => {
  let t: TestAgent | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it("verify runs exactly the release's checks and reports each result and a weighted score", async () => {
    // A clock that stands still keeps every read below in one 30 s capability interval.
    const frozen = Date.UTC(2026, 11, 1, 12, 0, 10);
    t = await startTestAgent({ sim: { seed: 7, now: () => frozen } });
    const done = await verify(t, {
      expect: { core: "2026.11.2", plugins: (await t.client.readiness()).installed.plugins },
      checks: RELEASE_CHECKS,
    });
    expect(done.status).toBe("succeeded");
    const capabilities = capabilityReportSchema.parse(done.result?.capabilities);
    expect(capabilities.checks.map((check) => [check.id, check.kind, check.ok])).toEqual([
      ["tool-roundtrip", "tool_call_round_trip", true],
      ["memory-recency", "memory_lookup", true],
      ["long-work", "long_work_delivery", true],
      ["model-reply", "model_reply", true],
    ]);
    for (const check of capabilities.checks) {
      expect(check.score).toBeGreaterThan(0.8);
      expect(check.durationMs).toBeGreaterThan(0);
      expect(check.detail).toMatch(/^\d+\/40 /);
    }
    const [tool, memory, long, model] = capabilities.checks.map((check) => check.score);
    expect(capabilities.score).toBeCloseTo((2 * tool! + memory! + long! + 2 * model!) / 6, 3);
    expect(done.log.map((line) => line.message)).toContainEqual(
      expect.stringMatching(/^capabilities: score 0\.\d{3} over 4 checks \(all ok\)$/),
    );

    // The set sticks: readiness and /metrics show it, and a verify without checks runs it again.
    const readiness = await t.client.readiness();
    expect(readiness.capabilities?.checks.map((check) => check.id)).toEqual(RELEASE_CHECKS.map((check) => check.id));
    const metrics = await t.client.metrics();
    expect(series(metrics, "rollbook_capability_score")).toBeCloseTo(readiness.capabilities!.score, 4);
    expect(metrics).toContain('rollbook_capability_check_ok{check="long-work",kind="long_work_delivery"} 1');
    expect(metrics).toMatch(/rollbook_capability_check_score\{check="memory-recency",kind="memory_lookup"\} (0\.\d+|1)\n/);
    expect(metrics).not.toContain('check="slack-event"');
    const again = await verify(t);
    expect(again.result?.capabilities?.checks.map((check) => check.id)).toEqual(RELEASE_CHECKS.map((check) => check.id));
  });

  it("refuses a checks list with duplicate ids or unknown kinds before anything runs", async () => {
    t = await startTestAgent();
    const duplicate = JSON.stringify({ checks: [RELEASE_CHECKS[0], RELEASE_CHECKS[0]] });
    const reply = await t.signedFetch("POST", "/v1/actions/verify", duplicate);
    expect(reply.status).toBe(400);
    expect(JSON.stringify(reply.json)).toContain('duplicate check id \\"tool-roundtrip\\"');
    const unknown = await t.signedFetch("POST", "/v1/actions/verify", JSON.stringify({ checks: [{ id: "x", kind: "vibes" }] }));
    expect(unknown.status).toBe(400);
    expect((await t.client.operations()).filter((operation) => operation.action === "verify")).toEqual([]);
  });

  it("a release with evalDrop scores ~0.85 against ~0.95 before, every check still ok and the node ready", async () => {
    // A standing clock makes the binomial scores of one interval reproducible.
    const frozen = Date.UTC(2026, 11, 1, 12, 0, 10);
    t = await startTestAgent({
      sim: { seed: 21, now: () => frozen, faults: simFaultMapSchema.parse({ [TARGET.core]: { evalDrop: {} } }) },
    });
    const before = (await verify(t, { checks: RELEASE_CHECKS })).result?.capabilities;
    expect(before?.score).toBeGreaterThan(0.9);
    await upgrade(t);
    const after = await verify(t, { expect: TARGET, checks: RELEASE_CHECKS });
    expect(after.status).toBe("succeeded");
    expect(after.result?.capabilities?.score).toBeGreaterThan(0.77);
    expect(after.result?.capabilities?.score).toBeLessThan(0.91);
    expect(after.result?.capabilities?.checks.every((check) => check.ok)).toBe(true);
    expect(series(await t.client.metrics(), "rollbook_capability_score")).toBeLessThan(0.91);
  });

  it("a check that fails outright fails verify and makes the node not ready, naming the check", async () => {
    const faults = simFaultMapSchema.parse({ [TARGET.core]: { evalDrop: { failKinds: ["long_work_delivery"] } } });
    t = await startTestAgent({ sim: { faults } });
    await upgrade(t);
    const done = await verify(t, { expect: TARGET, checks: RELEASE_CHECKS });
    expect(done).toMatchObject({ status: "failed", error: { code: "not_ready" }, result: { ready: false } });
    expect(done.result?.reasons).toEqual([
      {
        code: "capability_failed",
        message: expect.stringMatching(
          /^1 of 4 capability checks failed: long-work \(the background task finished but its report was never delivered\)$/,
        ) as unknown,
      },
    ]);
    expect(done.result?.capabilities?.checks.find((check) => check.id === "long-work")).toMatchObject({ ok: false, score: 0 });
    const readiness = await t.client.readiness();
    expect(readiness.ready).toBe(false);
    expect(readiness.reasons.map((reason) => reason.code)).toEqual(["capability_failed"]);
    expect(await t.client.metrics()).toContain('rollbook_capability_check_ok{check="long-work",kind="long_work_delivery"} 0');
  });

  it("has no score before any check set, and drops it again when a release lists none", async () => {
    t = await startTestAgent({ sim: { capabilityChecks: null } });
    expect((await t.client.readiness()).capabilities).toBeNull();
    const metrics = await t.client.metrics();
    expect(series(metrics, "rollbook_capability_score")).toBeUndefined();
    expect(metrics).not.toMatch(/^rollbook_capability/m);
    expect((await verify(t)).result).not.toHaveProperty("capabilities");

    await verify(t, { checks: RELEASE_CHECKS });
    expect(series(await t.client.metrics(), "rollbook_capability_score")).toBeGreaterThan(0.8);

    const none = await verify(t, { checks: [] });
    expect(none.status).toBe("succeeded");
    expect(none.result).not.toHaveProperty("capabilities");
    expect((await t.client.readiness()).capabilities).toBeNull();
    expect(await t.client.metrics()).not.toMatch(/^rollbook_capability/m);
  });

  it("a new simulated node reports its gateway's own probes from the start", async () => {
    t = await startTestAgent();
    const readiness = await t.client.readiness();
    expect(readiness.capabilities?.checks.map((check) => check.kind)).toEqual([
      "tool_call_round_trip",
      "memory_lookup",
      "long_work_delivery",
      "webhook_delivery",
      "model_reply",
    ]);
    expect(series(await t.client.metrics(), "rollbook_capability_score")).toBeGreaterThan(0.85);
  });
});
