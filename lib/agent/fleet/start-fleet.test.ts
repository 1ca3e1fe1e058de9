import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createAgentClient, fleetFileSchema } from "@/lib/protocol";
import { planFleetLayout } from "./plan-fleet-layout";
import { FleetPortInUseError, startFleet, type RunningFleet } from "./start-fleet";

describe("planFleetLayout", () => {
  it("gives 12 nodes 3 regions, 2 canaries in different regions and 1 witness", () => {
    const layout = planFleetLayout(12);
    expect(layout.map((n) => n.name)).toEqual(Array.from({ length: 12 }, (_, i) => `node-${String(i + 1).padStart(2, "0")}`));
    expect(new Set(layout.map((n) => n.region))).toEqual(new Set(["eu-west-1", "us-east-1", "ap-southeast-2"]));
    const canaries = layout.filter((n) => n.role === "canary");
    expect(canaries).toHaveLength(2);
    expect(new Set(canaries.map((n) => n.region)).size).toBe(2);
    expect(layout.filter((n) => n.role === "witness")).toHaveLength(1);
  });

  it("scales the canary count with the fleet and always has one", () => {
    for (const count of [1, 2, 3, 6, 7, 18, 24, 60]) {
      const layout = planFleetLayout(count);
      expect(layout).toHaveLength(count);
      const canaries = layout.filter((n) => n.role === "canary").length;
      expect(canaries).toBe(Math.max(1, Math.round(count / 6)));
      expect(layout.filter((n) => n.role === "witness").length).toBe(count >= 3 ? 1 : 0);
    }
  });
});

describe("startFleet", () => {
  let fleet: RunningFleet | undefined;
  let dir: string;
  afterEach(async () => {
    await fleet?.close();
    fleet = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it("starts agents, writes a valid fleet file and keeps secrets across restarts", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "rollbook-fleet-"));
    const fleetFile = path.join(dir, "fleet.json");
    fleet = await startFleet({ count: 4, stateDir: dir, fleetFile, speed: 20 });
    const written = fleetFileSchema.parse(JSON.parse(await readFile(fleetFile, "utf8")));
    expect(written).toEqual(fleet.fleet);
    expect((await stat(fleetFile)).mode & 0o777).toBe(0o600);
    expect(new Set(written.nodes.map((n) => n.secret)).size).toBe(4);
    expect(new Set(written.nodes.map((n) => n.url)).size).toBe(4);

    for (const node of written.nodes) {
      const readiness = await createAgentClient({ url: node.url, secret: node.secret }).readiness();
      expect(readiness.node.name).toBe(node.name);
      expect(readiness.installed.core).toBe("2026.11.2");
      expect(Object.keys(readiness.installed.plugins)).toHaveLength(3);
      expect(readiness.ready).toBe(true);
    }
    // Each node only accepts its own secret.
    const [first, second] = written.nodes;
    await expect(createAgentClient({ url: first!.url, secret: second!.secret }).doctor()).rejects.toMatchObject({
      code: "rejected",
      status: 401,
    });

    await fleet.close();
    fleet = await startFleet({ count: 4, stateDir: dir, fleetFile, speed: 20 });
    expect(fleet.fleet.nodes.map((n) => n.secret)).toEqual(written.nodes.map((n) => n.secret));
  });

  it("starts every node on the configured release and applies a fault script per node", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "rollbook-fleet-"));
    fleet = await startFleet({
      count: 3,
      stateDir: dir,
      speed: 20,
      initial: { core: "2026.10.0", plugins: { "@openclaw/slack": "2026.10.0" } },
      faults: { faults: {}, nodes: { "node-02": { "2026.10.0": { doctorFail: { check: "tools", message: "sandbox gone" } } } } },
    });
    const states = await Promise.all(fleet.nodes.map((node) => createAgentClient({ url: node.url, secret: node.secret }).readiness()));
    expect(states.map((s) => s.installed.core)).toEqual(["2026.10.0", "2026.10.0", "2026.10.0"]);
    expect(states.map((s) => s.ready)).toEqual([true, false, true]);
  });
});

describe("startFleet on a machine where ports are taken", () => {
  let dirs: string[] = [];
  let fleets: RunningFleet[] = [];
  let blocker: Server | undefined;
  afterEach(async () => {
    await Promise.all(fleets.map((fleet) => fleet.close()));
    fleets = [];
    await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
    blocker = undefined;
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    dirs = [];
  });

  /** Holds a port the OS picked, so the test knows one taken port without guessing free ones. */
  async function occupyAPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    blocker = server;
    return (server.address() as { port: number }).port;
  }

  async function stateDir(): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), "rollbook-fleet-ports-"));
    dirs.push(dir);
    return dir;
  }

  async function canListen(port: number): Promise<boolean> {
    const probe = createServer();
    return new Promise((resolve) => {
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
  }

  it("refuses a fixed base port that is taken, naming it, and leaves nothing listening", async () => {
    const taken = await occupyAPort();
    // Ideally the taken port is node 2's, so node 1 starts first and must be closed again (unless
    // someone else on this machine holds the port below it).
    const base = (await canListen(taken - 1)) ? taken - 1 : taken;
    const error = await startFleet({ count: 3, stateDir: await stateDir(), basePort: base, speed: 20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetPortInUseError);
    expect(error).toMatchObject({ port: taken, message: expect.stringContaining(`127.0.0.1:${taken} is already in use`) as string });
    expect(await canListen(base)).toBe(true);
  });

  it("moves up by whole blocks past a taken port, and two fleets started at once get disjoint ports", async () => {
    const taken = await occupyAPort();
    const count = 3;
    const started = await Promise.all(
      [0, 1].map(async () => startFleet({ count, stateDir: await stateDir(), basePort: taken, findFreeRange: true, speed: 20 })),
    );
    fleets.push(...started);
    const portsOf = (fleet: RunningFleet) => fleet.nodes.map((node) => node.agent.port);
    for (const fleet of started) {
      const [first, ...rest] = portsOf(fleet);
      expect(rest).toEqual(rest.map((_, i) => first! + i + 1));
      expect(first! > taken && (first! - taken) % count === 0).toBe(true);
      // The fleet file records the ports really bound, and each agent answers on its own.
      expect(fleet.fleet.nodes.map((node) => node.url)).toEqual(portsOf(fleet).map((port) => `http://127.0.0.1:${port}`));
      for (const node of fleet.nodes) {
        expect((await fetch(`${node.url}/health`)).ok).toBe(true);
      }
    }
    const all = started.flatMap(portsOf);
    expect(new Set(all).size).toBe(all.length);
  });
});
