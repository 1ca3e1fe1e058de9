import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { agentErrorBodySchema, createAgentClient, generateAgentSecret, signRequest, type Lock, type Operation } from "@/lib/protocol";
import { spawnAgentProcess, type AgentProcess } from "./testing/spawn-agent-process";
import { startTestAgent } from "./testing/start-test-agent";

const TARGET: Lock = {
  core: "2026.12.0",
  plugins: { "@openclaw/github": "2026.12.0", "@openclaw/memory-lancedb": "2026.12.0", "@openclaw/slack": "2026.12.0" },
};

/** One signed request, kept so it can be sent again byte for byte (to whatever port the agent now has). */
type Captured = { method: "GET" | "POST"; path: string; body: string; headers: Record<string, string> };

function capture(secret: string, method: "GET" | "POST", pathWithQuery: string, body = "", sign: { id?: string; timestamp?: Date } = {}) {
  const headers = signRequest({ secret, method, pathWithQuery, body, ...sign });
  return { method, path: pathWithQuery, body, headers: { ...headers, "content-type": "application/json" } } satisfies Captured;
}

async function send(url: string, request: Captured) {
  const response = await fetch(`${url}${request.path}`, {
    method: request.method,
    headers: request.headers,
    ...(request.method === "GET" ? {} : { body: request.body }),
  });
  const json: unknown = await response.json();
  const error = agentErrorBodySchema.safeParse(json);
  return {
    status: response.status,
    json,
    headers: response.headers,
    code: error.success ? error.data.error.code : undefined,
    operation: (json as { operation?: Operation }).operation,
  };
}

describe("replay protection survives real agent restarts", () => {
  const dirs: string[] = [];
  const agents: AgentProcess[] = [];
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((agent) => agent.kill()));
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function spawn(stateDir: string, extraArgs: string[] = []): Promise<AgentProcess> {
    const agent = await spawnAgentProcess({
      stateDir,
      name: "replay-node",
      extraArgs: ["--speed", "20", ...extraArgs],
      startTimeoutMs: 20_000,
    });
    agents.push(agent);
    return agent;
  }

  it("a refused drain, a read and an accepted action keep their outcome across two restarts (SIGKILL, then SIGTERM)", async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), "rollbook-replay-"));
    dirs.push(stateDir);
    // A migration that outlasts the test keeps the upgrade (and the node) busy until the crash.
    const faultsFile = path.join(stateDir, "faults.json");
    await writeFile(faultsFile, JSON.stringify({ faults: { [TARGET.core]: { slowMigrationMs: 3_600_000 } } }));
    const args = ["--faults-file", faultsFile];

    let agent = await spawn(stateDir, args);
    const { secret } = agent;
    let client = createAgentClient({ url: agent.url, secret });

    // Accepted and finished before the restart.
    const weight = capture(secret, "POST", "/v1/actions/set-weight", '{"weight":40}');
    const accepted = await send(agent.url, weight);
    expect(accepted.status).toBe(202);
    const weightOperation = await client.waitForOperation(accepted.operation!.id, { timeoutMs: 10_000, pollMs: 20 });
    expect(weightOperation.status).toBe("succeeded");
    // A read.
    const read = capture(secret, "GET", "/v1/readiness");
    expect((await send(agent.url, read)).status).toBe(200);
    // Refused: the node is busy with an upgrade.
    const upgradeId = `msg_${crypto.randomUUID()}`;
    const upgrade = await client.upgrade({ lock: TARGET }, { requestId: upgradeId });
    const drain = capture(secret, "POST", "/v1/actions/drain", '{"reason":"capture me"}');
    const busy = await send(agent.url, drain);
    expect(busy.status).toBe(409);
    expect(busy.code).toBe("action_in_progress");

    async function expectReplaysRefused(url: string) {
      client = createAgentClient({ url, secret });
      const operationsBefore = await client.operations();

      // (a) The drain refused before the restart is refused again; the node is not drained.
      const replayedDrain = await send(url, drain);
      expect(replayedDrain.status).toBe(401);
      expect(replayedDrain.code).toBe("replayed_request");
      // (b) So is the read.
      const replayedRead = await send(url, read);
      expect(replayedRead.status).toBe(401);
      expect(replayedRead.code).toBe("replayed_request");
      // A forged request is refused as before.
      const forged = await send(url, capture(generateAgentSecret(), "POST", "/v1/actions/drain", "{}"));
      expect(forged.status).toBe(401);
      expect(forged.code).toBe("bad_signature");

      // (c) The accepted action maps back to its operation: byte for byte, and as the dashboard
      // retries it (same id and body, signed afresh with a new timestamp).
      const replayedWeight = await send(url, weight);
      expect(replayedWeight.status).toBe(200);
      expect(replayedWeight.operation).toMatchObject({ id: weightOperation.id, status: "succeeded" });
      const retried = await client.setWeight({ weight: 40 }, { requestId: weight.headers["webhook-id"] });
      expect(retried).toMatchObject({ repeated: true, operation: { id: weightOperation.id, status: "succeeded" } });
      const retriedUpgrade = await client.upgrade({ lock: TARGET }, { requestId: upgradeId });
      expect(retriedUpgrade).toMatchObject({
        repeated: true,
        operation: { id: upgrade.operation.id, status: "failed", error: { code: "agent_restarted" } },
      });

      const readiness = await client.readiness();
      expect(readiness.lb).toEqual({ weight: 40, drained: false });
      const operationsAfter = await client.operations();
      expect(operationsAfter.map((op) => op.id)).toEqual(operationsBefore.map((op) => op.id));
      expect(operationsAfter.some((op) => op.action === "drain")).toBe(false);
    }

    await agent.kill();
    agent = await spawn(stateDir, args);
    await expectReplaysRefused(agent.url);

    // (d) And once more after a clean stop.
    await agent.stop();
    agent = await spawn(stateDir, args);
    await expectReplaysRefused(agent.url);
    expect(agent.output()).not.toMatch(/replay journal lost/);
  });

  it("a corrupt replay journal: the agent starts, refuses what the old process may have seen, and says why", async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), "rollbook-replay-corrupt-"));
    dirs.push(stateDir);
    let agent = await spawn(stateDir);
    const { secret } = agent;
    const read = capture(secret, "GET", "/v1/doctor");
    expect((await send(agent.url, read)).status).toBe(200);
    const weightId = `msg_${crypto.randomUUID()}`;
    const weight = await createAgentClient({ url: agent.url, secret }).setWeight({ weight: 41 }, { requestId: weightId });
    await agent.stop();

    // Damage a line in the middle: not a torn append, so the file cannot be trusted.
    const file = path.join(stateDir, "replay-journal.jsonl");
    const text = await readFile(file, "utf8");
    const corrupted = text.replace("\n", "\n{not json\n");
    await writeFile(file, corrupted);

    agent = await spawn(stateDir);
    const startedBy = Date.now();
    expect(agent.output()).toMatch(/replay journal lost: line 2 is not a valid entry .*refusing signed requests dated before/);
    expect(await readFile(`${file}.corrupt`, "utf8")).toBe(corrupted);
    const client = createAgentClient({ url: agent.url, secret });

    // The captured read, and even a fresh one: nothing tells them from requests the old process answered.
    const replayed = await send(agent.url, read);
    expect(replayed.status).toBe(503);
    expect(replayed.code).toBe("replay_state_lost");
    expect(Number(replayed.headers.get("retry-after"))).toBeGreaterThan(200);
    await expect(client.readiness()).rejects.toMatchObject({ code: "http_error", status: 503, agentError: { code: "replay_state_lost" } });
    // The operation store is intact, so the dashboard's retry of an accepted action still maps back.
    expect(await client.setWeight({ weight: 41 }, { requestId: weightId })).toMatchObject({
      repeated: true,
      operation: { id: weight.operation.id },
    });
    expect(agent.output()).not.toMatch(/failed:|Error:/);

    // A signature dated after start + tolerance cannot be one the old process saw: accepted.
    const firstAcceptable = Math.ceil(startedBy / 1000) * 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, firstAcceptable - Date.now())));
    const later = capture(secret, "GET", "/v1/doctor", "", { timestamp: new Date(firstAcceptable + 300_000) });
    expect((await send(agent.url, later)).status).toBe(200);

    // Restarting inside the window does not reopen it, and what was answered since stays spent.
    await agent.stop();
    agent = await spawn(stateDir);
    expect(agent.output()).toMatch(/still refusing signed requests dated before/);
    expect((await send(agent.url, capture(secret, "GET", "/v1/doctor"))).code).toBe("replay_state_lost");
    const replayedLater = await send(agent.url, later);
    expect(replayedLater.status).toBe(401);
    expect(replayedLater.code).toBe("replayed_request");
  });

  it("in-process: a journal deleted from a used state dir fails closed; answers are journaled before they leave", async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), "rollbook-replay-missing-"));
    dirs.push(stateDir);
    const first = await startTestAgent({ stateDir });
    const id = `msg_${crypto.randomUUID()}`;
    expect((await first.signedFetch("GET", "/v1/readiness", "", { id })).status).toBe(200);
    // On disk by the time the reply arrived.
    expect(await readFile(path.join(stateDir, "replay-journal.jsonl"), "utf8")).toContain(`"${id}"`);
    expect(first.agent.replayJournal.state).toEqual({ kind: "new" });
    await first.close({ keepState: true });

    await rm(path.join(stateDir, "replay-journal.jsonl"));
    const second = await startTestAgent({ stateDir, secret: first.secret });
    try {
      const state = second.agent.replayJournal.state;
      expect(state.kind === "lost" ? state.reason : state.kind).toMatch(/missing/);
      const replay = await second.signedFetch("GET", "/v1/readiness", "", { id });
      expect(replay.status).toBe(503);
      expect(replay.error?.code).toBe("replay_state_lost");
      expect((await stat(path.join(stateDir, "replay-journal.jsonl"))).isFile()).toBe(true);
    } finally {
      await second.close({ keepState: true });
    }
  });
});
