import { createServer, type Server } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFleet, type RunningFleet } from "@/lib/agent/fleet/start-fleet";
import { agentSecret, registerFleetNodes } from "@/prisma/factories";
import { db } from "../db";
import { collectFleetOnce } from "./collect-fleet";

let fleet: RunningFleet;
let stateDir: string;
const badServers: Server[] = [];

/** An "agent" that misbehaves in one specific way. */
async function misbehavingAgent(behaviour: "garbage" | "wrong-schema" | "huge" | "hang"): Promise<string> {
  const server = createServer((_request, response) => {
    if (behaviour === "hang") return; // never answers
    response.writeHead(200, { "content-type": "application/json" });
    if (behaviour === "garbage") response.end("{not json at all");
    else if (behaviour === "wrong-schema") response.end(JSON.stringify({ ready: "yes", installed: 42 }));
    else response.end(`{"pad":"${"x".repeat(8 * 1024 * 1024)}"}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  badServers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeEach(async () => {
  stateDir = await mkdtemp(path.join(os.tmpdir(), "rollbook-collect-"));
  fleet = await startFleet({ count: 2, stateDir, speed: 50 });
  await registerFleetNodes(db, fleet, { coreVersion: null });
  for (const behaviour of ["garbage", "wrong-schema", "huge", "hang"] as const) {
    await db.node.create({
      data: { name: `bad-${behaviour}`, agentUrl: await misbehavingAgent(behaviour), agentSecret: agentSecret(), region: "eu-west-1" },
    });
  }
  await db.node.create({
    data: { name: "bad-unreachable", agentUrl: "http://127.0.0.1:9", agentSecret: agentSecret(), region: "eu-west-1" },
  });
});

afterEach(async () => {
  for (const server of badServers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await fleet.close();
  await rm(stateDir, { recursive: true, force: true });
});

describe("collectFleetOnce", () => {
  it("stores good nodes' readiness and metrics and a clear reason for every misbehaving one", async () => {
    const results = await collectFleetOnce({ timeoutMs: 800 });
    expect(results).toHaveLength(7);

    const health = await db.nodeHealth.findMany({ include: { node: { select: { name: true } } } });
    const byName = new Map(health.map((row) => [row.node.name, row]));
    for (const member of fleet.nodes) {
      const row = byName.get(member.name)!;
      expect(row.lastOkAt).not.toBeNull();
      expect(row.lastErrorCode).toBeNull();
      expect(row.probeSha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(byName.get("bad-garbage")).toMatchObject({ lastErrorCode: "bad_reply", lastOkAt: null });
    expect(byName.get("bad-wrong-schema")).toMatchObject({ lastErrorCode: "bad_reply", lastOkAt: null });
    expect(byName.get("bad-huge")).toMatchObject({ lastErrorCode: "bad_reply" });
    expect(byName.get("bad-hang")).toMatchObject({ lastErrorCode: "timeout" });
    expect(byName.get("bad-unreachable")).toMatchObject({ lastErrorCode: "unreachable" });

    expect(await db.metricSample.count()).toBe(2);
    expect(await db.readinessSnapshot.count()).toBe(2);
    const nodes = await db.node.findMany({ where: { name: { in: fleet.nodes.map((member) => member.name) } } });
    expect(nodes.every((node) => node.coreVersion === "2026.11.2")).toBe(true);
  });

  it("keeps the last good document when a node stops answering, and snapshots only changes", async () => {
    await collectFleetOnce({ timeoutMs: 800 });
    await collectFleetOnce({ timeoutMs: 800 });
    expect(await db.readinessSnapshot.count()).toBe(2);
    expect(await db.metricSample.count()).toBe(4);

    const [first] = fleet.nodes;
    const before = await db.nodeHealth.findUniqueOrThrow({
      where: { nodeId: (await db.node.findUniqueOrThrow({ where: { name: first!.name } })).id },
    });
    await first!.agent.close();
    await collectFleetOnce({ timeoutMs: 800 });
    const after = await db.nodeHealth.findUniqueOrThrow({ where: { nodeId: before.nodeId } });
    expect(after.lastErrorCode).toBe("unreachable");
    expect(after.lastOkAt).toEqual(before.lastOkAt);
    expect(after.readiness).toEqual(before.readiness);
    expect(after.lastAttemptAt.getTime()).toBeGreaterThan(before.lastAttemptAt.getTime());
  });

  it("stores each node's capability score in the round's one statement, null for a node without checks", async () => {
    const [healthy, dropped] = fleet.nodes;
    const ctx = { signal: new AbortController().signal, log: () => undefined };
    // Same core as everyone else, but this node's checks now pass about half of their probes.
    await dropped!.sim.setFaults({ [dropped!.sim.readState().installed.core]: { evalDrop: { score: 0.5, failKinds: [] } } });
    await collectFleetOnce({ timeoutMs: 800 });
    await healthy!.sim.runCapabilityChecks([], ctx); // its release lists none
    await collectFleetOnce({ timeoutMs: 800 });

    const samples = await db.metricSample.findMany({ include: { node: { select: { name: true } } }, orderBy: { id: "asc" } });
    const byNode = (name: string) => samples.filter((sample) => sample.node.name === name).map((sample) => sample.evalScore);
    const [healthyFirst, healthySecond] = byNode(healthy!.name);
    const [droppedFirst, droppedSecond] = byNode(dropped!.name);
    expect(healthyFirst).toBeGreaterThan(0.85);
    expect(healthyFirst).toBeLessThanOrEqual(1);
    expect(healthySecond).toBeNull();
    for (const score of [droppedFirst, droppedSecond]) {
      expect(score).toBeGreaterThan(0.3);
      expect(score).toBeLessThan(0.7);
    }
    // The p95 column is the agent's recent one, in milliseconds.
    for (const sample of samples) expect(sample.p95Ms).toBeGreaterThan(1000);
  });
});
