import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFleet, type RunningFleet } from "@/lib/agent/fleet/start-fleet";
import { createNode, registerFleetNodes } from "@/prisma/factories";
import { db } from "../db";
import { collectFleetOnce } from "./collect-fleet";
import { listFleetStatus } from "./list-fleet-status";

let fleet: RunningFleet;
let stateDir: string;
const originalTz = process.env.TZ;

beforeEach(async () => {
  stateDir = await mkdtemp(path.join(os.tmpdir(), "rollbook-fleet-status-"));
  fleet = await startFleet({ count: 2, stateDir, speed: 50 });
});

afterEach(async () => {
  process.env.TZ = originalTz;
  await fleet.close();
  await rm(stateDir, { recursive: true, force: true });
});

describe("listFleetStatus", () => {
  it("judges freshly polled nodes green with their age measured in UTC, whatever the process's time zone", async () => {
    await registerFleetNodes(db, fleet);
    await collectFleetOnce();
    // Timestamps are stored as UTC without a zone; read as local time they would be hours off here.
    process.env.TZ = "Pacific/Auckland";
    const rows = await listFleetStatus({ actor: null, filter: {} });
    expect(rows.map((row) => row.readiness.color)).toEqual(["green", "green"]);
    for (const row of rows) {
      expect(row.readiness.ageMs).toBeGreaterThanOrEqual(0);
      expect(row.readiness.ageMs).toBeLessThan(60_000);
      expect(Math.abs(Date.parse(row.updatedAt) - Date.now())).toBeLessThan(60_000);
    }
  });

  it("filters by role, region, release and name, matching % and _ in the search text literally", async () => {
    await createNode(db, { name: "gw_1", role: "canary", region: "us-east-1", coreVersion: "2026.11.3" });
    await createNode(db, { name: "gwx1", role: "stable", region: "eu-west-1", coreVersion: "2026.11.2" });
    await createNode(db, { name: "edge-50%", role: "stable", region: "eu-west-1", coreVersion: "2026.11.2" });
    const names = async (filter: Parameters<typeof listFleetStatus>[0]["filter"]) =>
      (await listFleetStatus({ actor: null, filter })).map((row) => row.name);

    expect(await names({})).toEqual(["edge-50%", "gw_1", "gwx1"]);
    expect(await names({ q: "gw_" })).toEqual(["gw_1"]);
    expect(await names({ q: "GW" })).toEqual(["gw_1", "gwx1"]);
    expect(await names({ q: "50%" })).toEqual(["edge-50%"]);
    expect(await names({ q: "0%" })).toEqual(["edge-50%"]);
    expect(await names({ q: "%" })).toEqual(["edge-50%"]);
    expect(await names({ role: "canary" })).toEqual(["gw_1"]);
    expect(await names({ region: "eu-west-1" })).toEqual(["edge-50%", "gwx1"]);
    expect(await names({ release: "2026.11.3" })).toEqual(["gw_1"]);
    expect(await names({ role: "stable", q: "gw" })).toEqual(["gwx1"]);
    // Never polled: grey, not green.
    expect((await listFleetStatus({ actor: null, filter: { status: "grey" } })).length).toBe(3);
  });

  it("puts each minute's mean memory % and peak queue depth in its sparkline slot, newest last", async () => {
    const node = await createNode(db, { name: "gw-spark" });
    const now = new Date();
    const sample = (secondsAgo: number, memoryBytes: number, queueDepth: number) => ({
      nodeId: node.id,
      at: new Date(now.getTime() - secondsAgo * 1000),
      memoryBytes,
      memoryLimitBytes: 1000,
      queueDepth,
    });
    await db.metricSample.createMany({
      data: [
        sample(10, 500, 3),
        sample(40, 700, 9), // same minute as the one above: mean 60 %, peak 9
        sample(90, 250, 4),
        sample(29 * 60 + 30, 100, 1), // the oldest slot
        sample(31 * 60, 990, 99), // outside the 30 minutes
      ],
    });
    const [row] = await listFleetStatus({ actor: null, filter: {}, now });
    expect(row!.memorySpark).toHaveLength(30);
    expect(row!.memorySpark[29]).toBeCloseTo(60);
    expect(row!.queueSpark[29]).toBe(9);
    expect(row!.memorySpark[28]).toBeCloseTo(25);
    expect(row!.queueSpark[28]).toBe(4);
    expect(row!.memorySpark[0]).toBeCloseTo(10);
    expect(row!.memorySpark.filter((value) => value !== null)).toHaveLength(3);
    expect(Math.max(...row!.queueSpark.map((value) => value ?? 0))).toBe(9);
  });
});
