import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createAgentClient, type AgentClient, type Lock } from "@/lib/protocol";
import { spawnAgentProcess } from "./testing/spawn-agent-process";
import { startTestAgent } from "./testing/start-test-agent";

const TARGET: Lock = {
  core: "2026.12.0",
  plugins: { "@openclaw/github": "2026.12.0", "@openclaw/memory-lancedb": "2026.12.0", "@openclaw/slack": "2026.12.0" },
};

/** Polls readiness until the core package has switched: the upgrade is between core and plugins. */
async function waitForCoreSwitch(client: AgentClient, core: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if ((await client.readiness()).installed.core === core) return;
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
  throw new Error("core was never installed");
}

describe("an agent that dies mid-upgrade comes back honest", () => {
  const dirs: string[] = [];
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    child = undefined;
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it("in-process: stopping the server between core and plugins", async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), "rollbook-restart-"));
    dirs.push(stateDir);
    // speed 1: core takes ~900 ms, then plugins, migration and restart ~1.6 s more: the poll
    // lands well inside that window even on a loaded machine.
    const first = await startTestAgent({ stateDir, sim: { speed: 1 } });
    const requestId = `msg_${crypto.randomUUID()}`;
    const { operation } = await first.client.upgrade({ lock: TARGET }, { requestId });
    await waitForCoreSwitch(first.client, TARGET.core);
    await first.close({ keepState: true });

    const second = await startTestAgent({ stateDir, secret: first.secret, sim: { speed: 5 } });
    try {
      const op = await second.client.operation(operation.id);
      expect(op.status).toBe("failed");
      expect(op.error?.code).toBe("agent_restarted");
      const readiness = await second.client.readiness();
      expect(readiness.installed.core).toBe(TARGET.core);
      expect(readiness.installed.plugins).not.toEqual(TARGET.plugins);
      expect(readiness.lockfile?.core).toBe(TARGET.core);
      expect(readiness.ready).toBe(false);
      expect(readiness.reasons.map((r) => r.code)).toContain("plugin_mismatch");

      // The same signed request after the restart is recognised, not run a second time.
      const repeat = await second.client.upgrade({ lock: TARGET }, { requestId });
      expect(repeat).toMatchObject({ repeated: true, operation: { id: operation.id, status: "failed" } });

      // A new upgrade resumes: core is skipped, plugins are installed, node becomes ready.
      const resumed = await second.client.upgrade({ lock: TARGET });
      const done = await second.client.waitForOperation(resumed.operation.id, { timeoutMs: 10_000, pollMs: 20 });
      expect(done.status).toBe("succeeded");
      expect(done.log.map((l) => l.message)).toContain(`core ${TARGET.core} already installed`);
      expect((await second.client.readiness()).ready).toBe(true);
    } finally {
      await second.close({ keepState: true });
    }
  });

  it("child process: SIGKILL mid-upgrade, then a new agent on the same state dir", async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), "rollbook-sigkill-"));
    dirs.push(stateDir);
    const agentProcess = await spawnAgentProcess({ stateDir, name: "victim", startTimeoutMs: 20_000 });
    child = agentProcess.child;
    const { url, secret } = agentProcess;
    const client = createAgentClient({ url, secret });
    const { operation } = await client.upgrade({ lock: TARGET });
    // Kill the moment the agent reports the new core: whatever it reports must already be on disk.
    await waitForCoreSwitch(client, TARGET.core);
    const exited = new Promise((resolve) => child!.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    await expect(client.health()).rejects.toMatchObject({ code: "unreachable" });

    // The dead agent's lock file is still there; the new agent must take it over.
    const revived = await startTestAgent({ stateDir, secret, sim: { speed: 20 } });
    try {
      const op = await revived.client.operation(operation.id);
      expect(op.status).toBe("failed");
      expect(op.error?.code).toBe("agent_restarted");
      expect(op.log.at(-1)?.message).toMatch(/agent restarted while this operation was running/);
      const readiness = await revived.client.readiness();
      expect(readiness.installed.core).toBe(TARGET.core);
      expect(readiness.ready).toBe(false);
      expect(readiness.reasons.map((r) => r.code)).toContain("plugin_mismatch");
    } finally {
      await revived.close({ keepState: true });
    }
  });
});
