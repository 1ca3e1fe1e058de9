// The openclaw driver against a real OpenClaw 2026.9.5 from the npm registry (scripts/lib/openclaw.sh
// installs it; `npm test` runs that first): a real agent, a real supervised gateway on a free
// loopback port, every step through the signed agent API. One install and one gateway for the
// whole file; the upgrade alone takes ~2 minutes of CPU, so the steps run in order and share state.
import { existsSync } from "node:fs";
import { createConnection } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Operation, ReadinessReport } from "@/lib/protocol";
import { startOpenclawTestAgent, type OpenclawTestAgent } from "../../testing/start-openclaw-test-agent";
import { openclawDoctorLintSchema } from "./openclaw-cli-schemas";

const FROM = "2026.9.5";
const TO = "2026.9.6";
const MISSING = "2026.9.99";

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
  let node: OpenclawTestAgent;
  let upgradeBackup: string;

  /** The CLI itself, outside the agent, to compare what the agent reports with what OpenClaw says. */
  const openclaw = (...args: string[]) => node.openclaw(...args);

  async function run(start: () => Promise<{ operation: Operation }>, timeoutMs: number): Promise<{ done: Operation; seconds: number }> {
    const started = Date.now();
    const { operation } = await start();
    const done = await node.client.waitForOperation(operation.id, { timeoutMs, pollMs: 1_000 });
    return { done, seconds: Math.round((Date.now() - started) / 1000) };
  }

  const check = (report: ReadinessReport, id: string) => report.doctor.checks.find((c) => c.id === id);

  beforeAll(async () => {
    // Every report reads OpenClaw afresh, so a config change shows at once.
    node = await startOpenclawTestAgent({ name: "openclaw-real", config: { factsCacheMs: 0 } });
  }, 180_000);

  afterAll(async () => {
    const port = node?.port;
    await node?.close();
    // Stopping the agent stops the gateway it supervises.
    if (port) expect(await portAnswers(port)).toBe(false);
  }, 60_000);

  it("reports the real doctor findings on 2026.9.5, and a node without a lockfile is not ready", async () => {
    const readiness = await node.client.readiness();
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
    const withAutoUpdate = await node.client.readiness();
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
      const { done, seconds } = await run(() => node.client.upgrade({ lock }, { requestId: `up-${TO}` }), 8 * 60_000);
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
      const readiness = await node.client.readiness();
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
      const { done } = await run(() => node.client.restart({ reason: "test" }, { requestId: "restart-1" }), 3 * 60_000);
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
        () => node.client.verify({ checks: [{ id: "model-answers", kind: "model_reply" }] }, { requestId: "verify-0" }),
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
      const { done } = await run(() => node.client.verify({ expect: expectLock, checks }, { requestId: "verify-1" }), 60_000);
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
        () => node.client.rollback({ bookmark: { core: FROM, plugins: {} } }, { requestId: `rollback-${FROM}` }),
        5 * 60_000,
      );
      console.log(`[openclaw] rollback ${TO}→${FROM}: ${seconds} s`);
      expect(done.error, done.log.map((l) => l.message).join("\n")).toBeNull();
      expect(done.result?.installed?.core).toBe(FROM);
      expect(done.result?.restoredBackup?.archivePath).toBe(upgradeBackup);

      const direct = await openclaw("doctor", "--lint", "--json");
      expect(openclawDoctorLintSchema.safeParse(JSON.parse(direct.stdout)).success, direct.stdout).toBe(true);
      const readiness = await node.client.readiness();
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
      const before = await node.client.readiness();
      const { done } = await run(
        () => node.client.upgrade({ lock: { core: MISSING, plugins: {} } }, { requestId: `up-${MISSING}` }),
        2 * 60_000,
      );
      expect(done.status).toBe("failed");
      expect(done.error?.code).toBe("command_failed");
      expect(done.error?.message).toContain(`Update refused: could not inspect exact package target openclaw@${MISSING}`);
      expect(done.result?.backup).toBeUndefined();

      const after = await node.client.readiness();
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
