// The openclaw driver against a real OpenClaw 2026.9.5 from the npm registry (scripts/lib/openclaw.sh
// installs it; `npm test` runs that first): a real agent, a real supervised gateway on a free
// loopback port, every step through the signed agent API. One install and one gateway for the
// whole file; the upgrade alone takes ~2 minutes of CPU, so the steps run in order and share state.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { createConnection, createServer, type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgentClient, generateAgentSecret, type Operation, type ReadinessReport } from "@/lib/protocol";
import { startAgent, type RunningAgent } from "../../start-agent";
import { runCommand } from "../exec/run-command";
import { openclawBaseEnv } from "./create-openclaw-cli";
import { createOpenclawDriver } from "./create-openclaw-driver";
import { openclawDoctorLintSchema } from "./openclaw-cli-schemas";
import { openclawConfigSchema } from "./openclaw-config-schema";

const FROM = "2026.9.5";
const TO = "2026.9.6";
const MISSING = "2026.9.99";

const nodeBin = process.env.ROLLBOOK_OPENCLAW_NODE_BIN;
const installedPrefix = process.env.ROLLBOOK_OPENCLAW_PREFIX;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

describe("openclaw driver on a real OpenClaw", () => {
  let tmp: string;
  let home: string;
  let prefix: string;
  let port: number;
  let agent: RunningAgent;
  let client: ReturnType<typeof createAgentClient>;
  let env: Record<string, string>;
  let upgradeBackup: string;

  /** The CLI itself, outside the agent, to compare what the agent reports with what OpenClaw says. */
  const openclaw = (...args: string[]) =>
    runCommand([path.join(prefix, "bin", "openclaw"), ...args], {
      timeoutMs: 60_000,
      maxOutputBytes: 4 << 20,
      env,
      baseEnv: openclawBaseEnv(),
    });

  async function run(start: () => Promise<{ operation: Operation }>, timeoutMs: number): Promise<{ done: Operation; seconds: number }> {
    const started = Date.now();
    const { operation } = await start();
    const done = await client.waitForOperation(operation.id, { timeoutMs, pollMs: 1_000 });
    return { done, seconds: Math.round((Date.now() - started) / 1000) };
  }

  const check = (report: ReadinessReport, id: string) => report.doctor.checks.find((c) => c.id === id);

  beforeAll(async () => {
    if (!nodeBin || !installedPrefix) {
      throw new Error(
        "ROLLBOOK_OPENCLAW_NODE_BIN and ROLLBOOK_OPENCLAW_PREFIX are not set. `npm test` installs OpenClaw itself; to run this file alone: " +
          'eval "$(bash scripts/install-openclaw.sh)" && npx vitest run --project real',
      );
    }
    tmp = await mkdtemp(path.join(os.tmpdir(), "rollbook-openclaw-"));
    home = path.join(tmp, "home");
    prefix = path.join(tmp, "prefix");
    await mkdir(home);
    // A copy (~1 s for 580 MB), so upgrading it leaves the cached install at 2026.9.5.
    await cp(installedPrefix, prefix, { recursive: true, verbatimSymlinks: true });
    env = { PATH: `${nodeBin}${path.delimiter}${process.env.PATH ?? ""}`, HOME: home, OPENCLAW_NO_AUTO_UPDATE: "1" };
    // The operator's part of a local gateway: OpenClaw refuses to start one without a mode.
    const mode = await openclaw("config", "set", "gateway.mode", "local");
    expect(mode.exitCode, mode.stderr).toBe(0);

    port = await freePort();
    const token = randomBytes(24).toString("hex");
    // The test's own CLI calls reach the same gateway the same way the driver does.
    env = { ...env, OPENCLAW_GATEWAY_TOKEN: token, OPENCLAW_GATEWAY_PORT: String(port) };
    const secret = generateAgentSecret();
    const config = openclawConfigSchema.parse({
      openclaw: path.join(prefix, "bin", "openclaw"),
      nodeBinDir: nodeBin,
      env: { HOME: home, OPENCLAW_GATEWAY_TOKEN: token },
      gateway: { supervise: true, port, readyTimeoutMs: 120_000 },
      // Every report reads OpenClaw afresh, so a config change shows at once.
      factsCacheMs: 0,
    });
    const stateDir = path.join(tmp, "agent");
    agent = await startAgent({
      name: "openclaw-real",
      secret,
      stateDir,
      port: 0,
      createDriver: () => createOpenclawDriver({ stateDir, config }),
    });
    client = createAgentClient({ url: agent.url, secret, timeoutMs: 60_000 });
  }, 180_000);

  afterAll(async () => {
    await agent?.close();
    // Stopping the agent stops the gateway it supervises.
    if (port) expect(await portAnswers(port)).toBe(false);
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }, 60_000);

  it("reports the real doctor findings on 2026.9.5, and a node without a lockfile is not ready", async () => {
    const readiness = await client.readiness();
    expect(readiness.node.driver).toBe("openclaw");
    expect(readiness.installed).toEqual({ core: FROM, plugins: {} });
    expect(readiness.configHash).toMatch(/^[0-9a-f]{64}$/);

    const direct = await openclaw("doctor", "--lint", "--json");
    const lint = openclawDoctorLintSchema.parse(JSON.parse(direct.stdout));
    const ids = readiness.doctor.checks.map((c) => c.id);
    for (const finding of lint.findings) {
      const mapped = check(readiness, finding.checkId);
      expect(mapped, `finding ${finding.checkId} in ${ids.join(", ")}`).toBeDefined();
      expect(mapped?.status).toBe({ error: "fail", warning: "warn", info: "ok" }[finding.severity]);
      expect(mapped?.message).toBe(finding.message);
      if (finding.fixHint) expect(mapped?.fixHint).toBe(finding.fixHint);
    }
    expect(check(readiness, "rollbook/openclaw-gateway")).toMatchObject({ status: "ok" });
    expect(check(readiness, "rollbook/openclaw-auto-update")).toMatchObject({ status: "ok" });
    expect(readiness.ready).toBe(false);
    expect(readiness.reasons.map((r) => r.code)).toContain("no_lockfile");

    // Preflight: with OpenClaw's own auto-updater on, the node is not ready and says why.
    expect((await openclaw("config", "set", "update.auto.enabled", "true")).exitCode).toBe(0);
    const withAutoUpdate = await client.readiness();
    expect(check(withAutoUpdate, "rollbook/openclaw-auto-update")).toMatchObject({
      status: "fail",
      fixHint: "openclaw config set update.auto.enabled false",
    });
    expect(withAutoUpdate.reasons.some((r) => r.code === "doctor_fail" && r.message.includes("auto-updater is on"))).toBe(true);
    expect((await openclaw("config", "set", "update.auto.enabled", "false")).exitCode).toBe(0);
  }, 60_000);

  it(
    `upgrades ${FROM} → ${TO} with openclaw update, after a verified backup`,
    async () => {
      const lock = { core: TO, plugins: {} };
      const { done, seconds } = await run(() => client.upgrade({ lock }, { requestId: `up-${TO}` }), 8 * 60_000);
      console.log(`[openclaw] upgrade ${FROM}→${TO}: ${seconds} s`);
      expect(done.error, done.log.map((l) => l.message).join("\n")).toBeNull();
      expect(done.status).toBe("succeeded");
      expect(done.result?.installed?.core).toBe(TO);
      expect(done.result?.backup).toMatchObject({ coreVersion: FROM, verified: true });
      upgradeBackup = done.result!.backup!.archivePath;
      expect(existsSync(upgradeBackup)).toBe(true);
      expect(done.log.some((l) => l.message.startsWith(`$ openclaw update --tag ${TO}`))).toBe(true);

      const version = await openclaw("--version");
      expect(version.stdout).toContain(`OpenClaw ${TO}`);
      const readiness = await client.readiness();
      expect(readiness.installed.core).toBe(TO);
      expect(check(readiness, "rollbook/openclaw-gateway")).toMatchObject({ status: "ok" });
      expect(readiness.reasons).toEqual([]);
      expect(readiness.reasons).toEqual([]);
      expect(readiness.ready).toBe(true);
    },
    9 * 60_000,
  );

  it(
    "restarts the gateway through its safe restart and it answers health again",
    async () => {
      const { done } = await run(() => client.restart({ reason: "test" }, { requestId: "restart-1" }), 3 * 60_000);
      expect(done.error, done.log.map((l) => l.message).join("\n")).toBeNull();
      expect(done.log.map((l) => l.message)).toContain("$ openclaw gateway restart --safe --json");
      const health = await openclaw("health", "--json");
      expect(health.exitCode, health.stdout).toBe(0);
      expect(JSON.parse(health.stdout)).toMatchObject({ ok: true });
      expect(done.result?.doctor?.checks.find((c) => c.id === "rollbook/openclaw-gateway")).toMatchObject({ status: "ok" });
    },
    4 * 60_000,
  );

  it(
    "verifies with the gateway's own post-upgrade probes, and fails checks it cannot run",
    async () => {
      // A model reply needs a model key this node does not have: reported as not run, never passed.
      const { done: model } = await run(
        () => client.verify({ checks: [{ id: "model-answers", kind: "model_reply" }] }, { requestId: "verify-0" }),
        60_000,
      );
      expect(model.status).toBe("failed");
      expect(model.error?.code).toBe("not_ready");
      expect(model.result?.capabilities?.checks.find((c) => c.id === "model-answers")).toMatchObject({ ok: false });

      // The gateway's own probes pass, and become the node's check set.
      const expectLock = { core: TO, plugins: {} };
      const checks = [
        { id: "gateway-up", kind: "gateway_health" as const },
        { id: "plugins-compatible", kind: "plugin_compat" as const },
      ];
      const { done } = await run(() => client.verify({ expect: expectLock, checks }, { requestId: "verify-1" }), 60_000);
      expect(done.error, done.log.map((l) => l.message).join("\n")).toBeNull();
      expect(done.result?.capabilities?.score).toBe(1);
      expect(done.result?.capabilities?.checks.map((c) => [c.id, c.ok])).toEqual([
        ["gateway-up", true],
        ["plugins-compatible", true],
      ]);
    },
    2 * 60_000,
  );

  it(
    `rolls back to ${FROM}: downgrade plus the backup restored, and doctor answers on ${FROM} again`,
    async () => {
      const { done, seconds } = await run(
        () => client.rollback({ bookmark: { core: FROM, plugins: {} } }, { requestId: `rollback-${FROM}` }),
        5 * 60_000,
      );
      console.log(`[openclaw] rollback ${TO}→${FROM}: ${seconds} s`);
      expect(done.error, done.log.map((l) => l.message).join("\n")).toBeNull();
      expect(done.result?.installed?.core).toBe(FROM);
      expect(done.result?.restoredBackup?.archivePath).toBe(upgradeBackup);

      const direct = await openclaw("doctor", "--lint", "--json");
      expect(openclawDoctorLintSchema.safeParse(JSON.parse(direct.stdout)).success, direct.stdout).toBe(true);
      const readiness = await client.readiness();
      expect(readiness.installed.core).toBe(FROM);
      expect(readiness.doctor.checks.find((c) => c.id === "openclaw/doctor-lint" && c.status === "fail")).toBeUndefined();
      expect(check(readiness, "rollbook/openclaw-gateway")).toMatchObject({ status: "ok" });
      expect(readiness.reasons).toEqual([]);
      expect(readiness.ready).toBe(true);
    },
    6 * 60_000,
  );

  it(
    `refuses an upgrade to ${MISSING} with OpenClaw's own words and changes nothing`,
    async () => {
      const before = await client.readiness();
      const { done } = await run(
        () => client.upgrade({ lock: { core: MISSING, plugins: {} } }, { requestId: `up-${MISSING}` }),
        2 * 60_000,
      );
      expect(done.status).toBe("failed");
      expect(done.error?.code).toBe("command_failed");
      expect(done.error?.message).toContain(`Update refused: could not inspect exact package target openclaw@${MISSING}`);
      expect(done.result?.backup).toBeUndefined();

      const after = await client.readiness();
      expect(after.installed).toEqual(before.installed);
      expect(after.configHash).toBe(before.configHash);
      expect(check(after, "rollbook/openclaw-gateway")).toMatchObject({ status: "ok" });
      // The lockfile now names what was asked for, so the node is honestly not ready.
      expect(after.ready).toBe(false);
      expect(after.reasons.map((r) => r.code)).toContain("core_mismatch");
    },
    3 * 60_000,
  );
});
