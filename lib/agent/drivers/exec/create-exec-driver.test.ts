import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAgentClient, generateAgentSecret, signRequest } from "@/lib/protocol";
import type { StepContext } from "../agent-driver";
import { startAgent, type RunningAgent } from "../../start-agent";
import { createExecDriver } from "./create-exec-driver";
import { execConfigSchema, type ExecConfig } from "./exec-config-schema";
import { runCommand } from "./run-command";

const FAKE = path.resolve(import.meta.dirname, "../../testing/fake-openclaw.mjs");
const fake = (...args: string[]) => [process.execPath, FAKE, ...args];

function configFor(home: string, overrides: Partial<ExecConfig["commands"]> = {}): ExecConfig {
  return execConfigSchema.parse({
    commands: {
      installCore: fake("install-core", "openclaw@{version}"),
      installPlugin: fake("plugins", "install", "{name}@{version}"),
      removePlugin: fake("plugins", "uninstall", "{name}"),
      status: fake("status", "--json"),
      doctor: fake("doctor", "--json"),
      migrate: fake("migrate"),
      restart: fake("restart"),
      setWeight: fake("lb", "weight", "{weight}"),
      ...overrides,
    },
    lockfilePath: path.join(home, "openclaw.lock.json"),
    timeoutsMs: { install: 5_000, command: 5_000, restart: 1_000 },
    restartPollMs: 50,
    env: { FAKE_OPENCLAW_HOME: home },
  });
}

const ctx = (): StepContext & { lines: string[] } => {
  const lines: string[] = [];
  return { signal: new AbortController().signal, log: (message) => lines.push(message), lines };
};

/** Dead, or a zombie nobody has reaped yet (both have stopped running). */
async function expectGone(pid: number): Promise<void> {
  const deadline = Date.now() + 3_000;
  for (;;) {
    try {
      process.kill(pid, 0);
      const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
      if (/^\d+ \(.*\) Z/.test(stat)) return;
    } catch {
      return;
    }
    if (Date.now() > deadline) throw new Error(`process ${pid} is still running`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function argvLog(home: string): Promise<string[][]> {
  const text = await readFile(path.join(home, "argv.log"), "utf8").catch(() => "");
  return text.trim() === ""
    ? []
    : text
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as string[]);
}

describe("exec driver", () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "rollbook-exec-"));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("has no built-in commands: a config that does not say what to run is refused", () => {
    const parsed = execConfigSchema.safeParse({});
    expect(parsed.success).toBe(false);
    const missing = execConfigSchema.safeParse({ commands: { installCore: ["true"] } });
    expect(missing.error?.issues.map((issue) => issue.path.join("."))).toEqual(
      expect.arrayContaining(["commands.installPlugin", "commands.removePlugin", "commands.status", "commands.doctor", "commands.restart"]),
    );
  });

  it("upgrades a real install through the agent API, core before plugins", async () => {
    const secret = generateAgentSecret();
    const agent: RunningAgent = await startAgent({
      name: "exec-node",
      secret,
      stateDir: home,
      port: 0,
      createDriver: () => createExecDriver({ stateDir: home, config: configFor(home) }),
    });
    try {
      const client = createAgentClient({ url: agent.url, secret });
      const before = await client.readiness();
      expect(before.installed).toEqual({ core: "2026.11.2", plugins: { "@openclaw/slack": "2026.11.0" } });
      expect(before.ready).toBe(false);
      expect(before.reasons.map((r) => r.code)).toEqual(["no_lockfile"]);

      const lock = { core: "2026.12.0", plugins: { "@openclaw/slack": "2026.12.1", "@openclaw/github": "2026.12.0" } };
      const { operation } = await client.upgrade({ lock });
      const done = await client.waitForOperation(operation.id, { timeoutMs: 10_000, pollMs: 20 });
      expect(done.status, JSON.stringify(done.error)).toBe("succeeded");

      const calls = (await argvLog(home)).filter((argv) => argv[0] === "install-core" || argv[0] === "plugins");
      expect(calls).toEqual([
        ["install-core", "openclaw@2026.12.0"],
        ["plugins", "install", "@openclaw/github@2026.12.0"],
        ["plugins", "install", "@openclaw/slack@2026.12.1"],
      ]);
      const after = await client.readiness();
      expect(after.installed).toEqual(lock);
      expect(after.ready).toBe(true);
      expect(JSON.parse(await readFile(path.join(home, "openclaw.lock.json"), "utf8"))).toEqual(lock);

      const weight = await client.setWeight({ weight: 25 });
      await client.waitForOperation(weight.operation.id, { timeoutMs: 5_000, pollMs: 20 });
      expect((await argvLog(home)).at(-1)).toEqual(["lb", "weight", "25"]);

      await writeFile(path.join(home, "doctor-fail"), "");
      const failing = await client.readiness();
      expect(failing.ready).toBe(false);
      expect(failing.reasons).toContainEqual({ code: "doctor_fail", message: "tools: exec tool sandbox missing" });
    } finally {
      await agent.close();
    }
  });

  it("refuses shell-looking versions and names before any process starts", async () => {
    const driver = await createExecDriver({ stateDir: home, config: configFor(home) });
    const hostile = ["1.0.0; rm -rf /", "$(touch pwned)", "`touch pwned`", "1.0.0 && touch pwned", "latest", "^1.0.0", "../../etc"];
    for (const version of hostile) {
      await expect(driver.installCore(version, ctx())).rejects.toMatchObject({ code: "unsafe_argument" });
      await expect(driver.installPlugin("@openclaw/slack", version, ctx())).rejects.toMatchObject({ code: "unsafe_argument" });
    }
    for (const name of ["evil; rm -rf ~", "$(touch pwned)", "@scope/../../x", "-rf", "Slack"]) {
      await expect(driver.installPlugin(name, "1.0.0", ctx())).rejects.toMatchObject({ code: "unsafe_argument" });
      await expect(driver.removePlugin(name, ctx())).rejects.toMatchObject({ code: "unsafe_argument" });
    }
    // Nothing reached a process, and nothing was created by a shell.
    expect(await argvLog(home)).toEqual([]);
    expect(existsSync(path.join(home, "pwned"))).toBe(false);
    expect(existsSync(path.join(process.cwd(), "pwned"))).toBe(false);
  });

  it("refuses a hostile version at the API as well (400, no operation, no process)", async () => {
    const secret = generateAgentSecret();
    const agent = await startAgent({
      name: "exec-node",
      secret,
      stateDir: home,
      port: 0,
      createDriver: () => createExecDriver({ stateDir: home, config: configFor(home) }),
    });
    try {
      const body = JSON.stringify({ lock: { core: "1.0.0; rm -rf /", plugins: { "$(touch pwned)": "1.0.0" } } });
      const headers = signRequest({ secret, method: "POST", pathWithQuery: "/v1/actions/upgrade", body });
      const response = await fetch(`${agent.url}/v1/actions/upgrade`, { method: "POST", headers, body });
      expect(response.status).toBe(400);
      const ops = await createAgentClient({ url: agent.url, secret }).operations();
      expect(ops).toEqual([]);
      expect((await argvLog(home)).some((argv) => argv[0] === "install-core" || argv[0] === "plugins")).toBe(false);
      expect(existsSync(path.join(home, "pwned"))).toBe(false);
    } finally {
      await agent.close();
    }
  });

  it("passes template arguments literally: no shell ever sees them", async () => {
    const result = await runCommand(fake("echo", "a;b", "$(touch pwned)", "`id`", "x > y"), {
      timeoutMs: 5_000,
      maxOutputBytes: 1024,
      env: { FAKE_OPENCLAW_HOME: home },
    });
    expect(result.exitCode).toBe(0);
    expect(await argvLog(home)).toEqual([["echo", "a;b", "$(touch pwned)", "`id`", "x > y"]]);
    expect(existsSync(path.join(home, "pwned"))).toBe(false);
  });

  it("rejects templates with unknown placeholders at start", async () => {
    await expect(
      createExecDriver({ stateDir: home, config: configFor(home, { installCore: fake("install-core", "openclaw@{tag}") }) }),
    ).rejects.toMatchObject({ code: "bad_template" });
  });

  it("fails a step with the installer's stderr, kills commands that hang, and bounds output", async () => {
    const driver = await createExecDriver({ stateDir: home, config: configFor(home) });
    await writeFile(path.join(home, "fail-install-core"), "");
    const failed = ctx();
    await expect(driver.installCore("2026.12.0", failed)).rejects.toMatchObject({ code: "command_failed" });
    await expect(driver.installCore("2026.12.0", failed)).rejects.toThrow(/EACCES/);
    expect(failed.lines.join("\n")).toContain("permission denied");

    const hanging = await runCommand(fake("hang"), { timeoutMs: 200, maxOutputBytes: 1024, env: { FAKE_OPENCLAW_HOME: home } });
    expect(hanging).toMatchObject({ timedOut: true, exitCode: null, signal: "SIGKILL" });
    expect(hanging.durationMs).toBeLessThan(3_000);

    const chatty = await runCommand(fake("spew"), { timeoutMs: 5_000, maxOutputBytes: 1000, env: { FAKE_OPENCLAW_HOME: home } });
    expect(chatty).toMatchObject({ exitCode: 0, truncated: true });
    expect(chatty.stdout.length).toBe(1000);

    const missing = await runCommand(["/nonexistent/openclaw", "status"], { timeoutMs: 1_000, maxOutputBytes: 100 });
    expect(missing.exitCode).toBeNull();
    expect(missing.spawnError).toMatch(/ENOENT/);
  });

  it("kills the running command and the processes it started when the operation is cancelled", async () => {
    const secret = generateAgentSecret();
    const agent = await startAgent({
      name: "exec-node",
      secret,
      stateDir: home,
      port: 0,
      // Like npm install: the work happens in a grandchild that holds our output pipes.
      createDriver: () => createExecDriver({ stateDir: home, config: configFor(home, { installCore: fake("hang-tree") }) }),
    });
    try {
      const client = createAgentClient({ url: agent.url, secret });
      const { operation } = await client.upgrade({ lock: { core: "2026.12.0", plugins: { "@openclaw/slack": "2026.11.0" } } });
      let pids: number[] = [];
      const deadline = Date.now() + 10_000;
      while (pids.length < 2 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        pids = (await readFile(path.join(home, "hang.pids"), "utf8").catch(() => "")).split("\n").filter(Boolean).map(Number);
      }
      expect(pids).toHaveLength(2);
      const asked = Date.now();
      const cancelled = await client.cancelOperation(operation.id, { reason: "installer hung" });
      expect(Date.now() - asked).toBeLessThan(2_000);
      expect(cancelled).toMatchObject({ status: "failed", error: { code: "cancelled" }, result: { installed: { core: "2026.11.2" } } });
      for (const pid of pids) await expectGone(pid);
    } finally {
      await agent.close();
    }
  });

  it("starts nothing for a step whose signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await runCommand(fake("echo", "hi"), {
      timeoutMs: 5_000,
      maxOutputBytes: 100,
      signal: controller.signal,
      env: { FAKE_OPENCLAW_HOME: home },
    });
    expect(result).toMatchObject({ exitCode: null, spawnError: "aborted before it started" });
    expect(await argvLog(home)).toEqual([]);
  });

  it("fails a restart whose gateway never reports up", async () => {
    const driver = await createExecDriver({ stateDir: home, config: configFor(home) });
    await writeFile(path.join(home, "down"), "");
    await expect(driver.restart(ctx())).rejects.toMatchObject({ code: "restart_timeout" });
  });

  it("runs a release's capability checks through the capabilities command and keeps the last run across restarts", async () => {
    const secret = generateAgentSecret();
    const start = (commands: Partial<ExecConfig["commands"]>) =>
      startAgent({
        name: "exec-node",
        secret,
        stateDir: home,
        port: 0,
        createDriver: () => createExecDriver({ stateDir: home, config: configFor(home, commands) }),
      });
    const checks = [
      { id: "tool-roundtrip", kind: "tool_call_round_trip" as const, weight: 2 },
      { id: "memory-anchor", kind: "memory_lookup" as const },
    ];
    const lock = { core: "2026.11.2", plugins: { "@openclaw/slack": "2026.11.0" } };
    let agent = await start({ capabilities: fake("capabilities", "--json") });
    try {
      let client = createAgentClient({ url: agent.url, secret });
      const upgrade = await client.upgrade({ lock });
      await client.waitForOperation(upgrade.operation.id, { timeoutMs: 10_000, pollMs: 20 });
      const verify = async (body: Parameters<typeof client.verify>[0]) =>
        client.waitForOperation((await client.verify(body)).operation.id, { timeoutMs: 10_000, pollMs: 20 });

      const done = await verify({ checks });
      expect(done.status, JSON.stringify(done.error)).toBe("succeeded");
      expect(JSON.parse(await readFile(path.join(home, "capabilities-request.json"), "utf8"))).toEqual(checks);
      expect(done.result?.capabilities).toMatchObject({
        score: 0.9,
        checks: [
          { id: "tool-roundtrip", ok: true },
          { id: "memory-anchor", ok: true },
        ],
      });

      // A check the gateway leaves out is not a pass.
      await writeFile(path.join(home, "capability-skip-memory-anchor"), "");
      const skipped = await verify({});
      expect(JSON.parse(await readFile(path.join(home, "capabilities-request.json"), "utf8"))).toEqual(checks);
      expect(skipped).toMatchObject({ status: "failed", error: { code: "not_ready" } });
      expect(skipped.result?.capabilities?.checks[1]).toMatchObject({
        id: "memory-anchor",
        ok: false,
        detail: "not run: the driver did not report this check",
      });
      expect(skipped.result?.capabilities?.score).toBe(0.6);

      await agent.close();
      agent = await start({ capabilities: fake("capabilities", "--json") });
      client = createAgentClient({ url: agent.url, secret });
      // The last run survives the restart, failure and all: readiness still says what it found.
      const readiness = await client.readiness();
      expect(readiness.capabilities?.checks.map((check) => [check.id, check.ok])).toEqual([
        ["tool-roundtrip", true],
        ["memory-anchor", false],
      ]);
      expect(readiness.reasons.map((reason) => reason.code)).toEqual(["capability_failed"]);
      expect((await client.metrics()).split("\n")).toContain("rollbook_capability_score 0.6");
    } finally {
      await agent.close();
    }
  });

  it("reports the gateway's own probes when never given checks, and fails a release's checks it cannot run", async () => {
    const withCommand = await createExecDriver({ stateDir: home, config: configFor(home, { capabilities: fake("capabilities") }) });
    const own = await withCommand.runCapabilityChecks(null, ctx());
    expect(JSON.parse(await readFile(path.join(home, "capabilities-request.json"), "utf8"))).toEqual([]);
    expect(own?.results.map((check) => check.id)).toEqual(["gateway-selftest"]);
    expect(await withCommand.runCapabilityChecks([], ctx())).toBeNull();
    expect(await withCommand.latestCapabilities()).toBeNull();
    await withCommand.close();

    const secret = generateAgentSecret();
    const agent = await startAgent({
      name: "exec-node",
      secret,
      stateDir: home,
      port: 0,
      createDriver: () => createExecDriver({ stateDir: home, config: configFor(home) }),
    });
    try {
      const client = createAgentClient({ url: agent.url, secret });
      const verify = await client.verify({ checks: [{ id: "model-reply", kind: "model_reply" }] });
      const done = await client.waitForOperation(verify.operation.id, { timeoutMs: 10_000, pollMs: 20 });
      expect(done.result?.capabilities?.checks).toEqual([
        {
          id: "model-reply",
          kind: "model_reply",
          ok: false,
          score: 0,
          durationMs: 0,
          detail: "not run: this node's driver cannot run capability checks",
        },
      ]);
      expect(done.result?.reasons?.map((reason) => reason.code)).toContain("capability_failed");
    } finally {
      await agent.close();
    }
  });
});
