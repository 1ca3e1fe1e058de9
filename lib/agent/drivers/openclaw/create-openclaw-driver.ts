import { createHash } from "node:crypto";
import { chmod, cp, mkdir, mkdtemp, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import semver from "semver";
import { z } from "zod";
import {
  capabilityCheckListSchema,
  capabilityCheckResultSchema,
  gatewayBackupSchema,
  lbStateSchema,
  lockSchema,
  type CapabilityCheck,
  type CapabilityCheckResult,
  type DoctorCheck,
  type GatewayBackup,
  type Lock,
} from "@/lib/protocol";
import { OperationFailure } from "../../operations/operation-failure";
import { createJsonFileWriter } from "../../state/create-json-file-writer";
import { readJsonFile } from "../../state/read-json-file";
import type { AgentDriver, CoreInstallFacts, DriverCapabilities, DriverSnapshot, DriverTelemetry, StepContext } from "../agent-driver";
import { formatLockfile } from "../format-lockfile";
import { cliText, createOpenclawCli, parseJson } from "./create-openclaw-cli";
import { hashOpenclawConfig } from "./hash-openclaw-config";
import { mapOpenclawDoctorFindings } from "./map-openclaw-doctor-findings";
import {
  openclawBackupCreateSchema,
  openclawBackupRestoreSchema,
  openclawCliErrorSchema,
  openclawConfigFileSchema,
  openclawDoctorLintSchema,
  openclawHealthSchema,
  openclawPluginsListSchema,
  openclawPostUpgradeSchema,
  openclawSafeRestartSchema,
  openclawUpdateConfigSchema,
  openclawUpdateResultSchema,
  openclawUpdateStatusSchema,
  openclawPluginPackageName,
  openclawVersionLinePattern,
  type OpenclawUpdateResult,
} from "./openclaw-cli-schemas";
import type { OpenclawConfig } from "./openclaw-config-schema";
import { superviseOpenclawGateway } from "./supervise-openclaw-gateway";

/** A backup as the driver remembers it: what a rollback needs to put the state back. */
const storedBackupSchema = gatewayBackupSchema.extend({
  /** The state directory it holds (OpenClaw's `assets[kind=state].sourcePath`). */
  stateDir: z.string().min(1),
  /** Where that directory sits inside the archive (`assets[kind=state].archivePath`). */
  stateArchivePath: z.string().min(1),
});
type StoredBackup = z.infer<typeof storedBackupSchema>;

const driverStateSchema = z.object({
  backups: z.array(storedBackupSchema).default([]),
  lb: lbStateSchema.default({ weight: 100, drained: false }),
  capabilities: z
    .object({
      checks: capabilityCheckListSchema.nullable(),
      last: z
        .object({ checks: capabilityCheckListSchema, results: z.array(capabilityCheckResultSchema), checkedAt: z.iso.datetime() })
        .nullable(),
    })
    .default({ checks: null, last: null }),
});
type DriverState = z.infer<typeof driverStateSchema>;

// Backups kept per node; older archives stay on disk, only the record of them is dropped.
const KEPT_BACKUP_RECORDS = 20;
const PROBE_IDS = { health: "gateway-health", compat: "plugin-compat" } as const;

export type OpenclawDriverOptions = { stateDir: string; config: OpenclawConfig };

function failureText(result: OpenclawUpdateResult): string {
  const step = result.failedStep ?? result.steps.find((s) => (s.exitCode ?? 0) !== 0);
  const text = step?.stderrTail?.trim() || result.reason || result.status;
  return step ? `${step.name}: ${text}` : text;
}

/**
 * Drives a real OpenClaw install through its own CLI: versions from `openclaw --version` and
 * `openclaw plugins list --json`, findings from `openclaw doctor --lint --json`, health from
 * `openclaw health --json`, upgrades with `openclaw update --tag <v>` after a verified
 * `openclaw backup create`, downgrades as npm install of the exact version plus a restore of the
 * backup taken on that version, restarts through `openclaw gateway restart --safe` (or, when
 * supervising the gateway itself, a fresh process after the core changed). See docs/agent.md.
 */
export async function createOpenclawDriver(options: OpenclawDriverOptions): Promise<AgentDriver> {
  const { config } = options;
  const cli = createOpenclawCli(config);
  const lockfilePath = config.lockfilePath ?? path.join(options.stateDir, "openclaw.lock.json");
  const backupDir = config.backupDir ?? path.join(options.stateDir, "openclaw-backups");
  const statePath = path.join(options.stateDir, "openclaw-driver.json");
  const stateWriter = createJsonFileWriter(statePath);
  const lockfileWriter = createJsonFileWriter(lockfilePath, (text) => String(text));
  let state: DriverState = (await readJsonFile(statePath, driverStateSchema)) ?? driverStateSchema.parse({});
  const supervisor = config.gateway.supervise
    ? superviseOpenclawGateway({
        openclaw: config.openclaw,
        port: config.gateway.port,
        env: cli.env,
        logFile: config.gateway.logFile ?? path.join(options.stateDir, "openclaw-gateway.log"),
        readyTimeoutMs: config.gateway.readyTimeoutMs,
        stopTimeoutMs: config.gateway.stopTimeoutMs,
      })
    : null;
  /** The core version the supervised gateway process was started on: a new core needs a new process. */
  let supervisedCore: string | null = null;
  const command = { timeoutMs: config.timeoutsMs.command };

  async function persist(next: DriverState): Promise<void> {
    state = next;
    await stateWriter.write(state);
  }

  // Reports and scrapes read the same facts many times a second; each CLI call costs 1–4 s of CPU.
  // A call in flight is shared whatever the age, so one readiness never runs the same command twice.
  const cache = new Map<string, { settledAt: number | null; value: Promise<unknown> }>();
  function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = cache.get(key);
    if (hit && (hit.settledAt === null || Date.now() - hit.settledAt < config.factsCacheMs)) return hit.value as Promise<T>;
    const entry: { settledAt: number | null; value: Promise<unknown> } = { settledAt: null, value: load() };
    cache.set(key, entry);
    entry.value.then(
      () => {
        entry.settledAt = Date.now();
      },
      () => {
        if (cache.get(key) === entry) cache.delete(key);
      },
    );
    return entry.value as Promise<T>;
  }
  const forget = () => cache.clear();

  async function readCore(): Promise<{ version: string | null; text: string }> {
    const result = await cli.openclaw(["--version"], command);
    const match = result.exitCode === 0 ? openclawVersionLinePattern.exec(result.stdout.trim()) : null;
    return { version: match?.[1] ?? null, text: match ? "" : cliText(result) };
  }
  const core = () => cached("core", readCore);

  const plugins = () =>
    cached("plugins", async () => {
      const list = cli.parse(await cli.openclaw(["plugins", "list", "--json"], command), openclawPluginsListSchema);
      // Bundled plugins ship inside the core package at its version; only plugins installed on top
      // (npm, ClawHub, local) are the node's own tree.
      return list.plugins
        .filter((plugin) => plugin.origin !== "bundled")
        .map((plugin) => ({ ...plugin, packageName: openclawPluginPackageName(plugin) }))
        .sort((a, b) => (a.packageName < b.packageName ? -1 : 1));
    });

  let configPath: string | null = null;
  async function configHash(): Promise<string | null> {
    configPath ??= cli.parse(await cli.openclaw(["config", "file", "--json"], command), openclawConfigFileSchema).path;
    return hashOpenclawConfig(configPath);
  }

  async function readLockfile(): Promise<DriverSnapshot["lockfile"]> {
    let text: string;
    try {
      text = await readFile(lockfilePath, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    const parsed = lockSchema.safeParse(
      (() => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return null;
        }
      })(),
    );
    return { lock: parsed.success ? parsed.data : null, sha256: createHash("sha256").update(text).digest("hex") };
  }

  async function health() {
    return cli.parse(await cli.openclaw(["health", "--json"], command), openclawHealthSchema, [0, 1]);
  }

  async function lintChecks(): Promise<DoctorCheck[]> {
    try {
      return mapOpenclawDoctorFindings(
        cli.parse(await cli.openclaw(["doctor", "--lint", "--json"], command), openclawDoctorLintSchema, [0, 1]),
      );
    } catch (error) {
      return [{ id: "openclaw/doctor-lint", status: "fail", message: (error as Error).message.slice(0, 2000) }];
    }
  }

  /** Preflight: OpenClaw's own auto-updater would upgrade the node behind the plan's back. */
  async function autoUpdateCheck(): Promise<DoctorCheck> {
    const id = "rollbook/openclaw-auto-update";
    const result = await cli.openclaw(["config", "get", "update", "--json"], command);
    let update: z.infer<typeof openclawUpdateConfigSchema> = {};
    if (result.exitCode === 0) {
      try {
        update = cli.parse(result, openclawUpdateConfigSchema);
      } catch (error) {
        return {
          id,
          status: "fail",
          message: `cannot tell whether OpenClaw's auto-updater is on: ${(error as Error).message}`.slice(0, 2000),
        };
      }
    } else {
      const unset = openclawCliErrorSchema.safeParse(parseJson(result.stdout));
      if (!unset.success || !/valid but unset/.test(unset.data.error.message)) {
        return { id, status: "fail", message: `cannot tell whether OpenClaw's auto-updater is on: ${cliText(result)}`.slice(0, 2000) };
      }
    }
    // Docs (gateway/config-runtime): auto-update campaigns need auto.enabled and checkOnStart (default true).
    if (update.auto?.enabled === true && update.checkOnStart !== false) {
      return {
        id,
        status: "fail",
        message: "OpenClaw's own auto-updater is on (update.auto.enabled: true): it would upgrade this node outside any plan",
        fixHint: "openclaw config set update.auto.enabled false",
        path: "update.auto.enabled",
      };
    }
    return { id, status: "ok", message: "OpenClaw's auto-updater is off; upgrades come from plans only" };
  }

  async function gatewayCheck(): Promise<DoctorCheck> {
    const id = "rollbook/openclaw-gateway";
    if (supervisor && !supervisor.running()) {
      return {
        id,
        status: "fail",
        message: `the gateway this agent supervises is not running: ${supervisor.lastLines(3) || "never started"}`.slice(0, 2000),
      };
    }
    try {
      const reply = await health();
      if (!reply.ok) return { id, status: "fail", message: `openclaw health: ${reply.error.message}`.slice(0, 2000) };
      const problems = [
        ...(reply.eventLoop.degraded ? [`event loop degraded (${reply.eventLoop.reasons.join(", ") || "no reason given"})`] : []),
        ...(reply.plugins.errors.length > 0 ? [`${reply.plugins.errors.length} plugins failed to load`] : []),
      ];
      return problems.length > 0
        ? { id, status: "warn", message: `openclaw health: ${problems.join("; ")}` }
        : { id, status: "ok", message: `openclaw health: ok, ${reply.plugins.loaded.length} plugins loaded` };
    } catch (error) {
      return { id, status: "fail", message: (error as Error).message.slice(0, 2000) };
    }
  }

  /** The snapshot cannot say "plugins unknown"; when the list fails, this check says it instead of an empty tree passing for the truth. */
  async function pluginsCheck(): Promise<DoctorCheck[]> {
    try {
      await plugins();
      return [];
    } catch (error) {
      return [
        {
          id: "rollbook/openclaw-plugins",
          status: "fail",
          message: `installed plugins unknown: ${(error as Error).message}`.slice(0, 2000),
        },
      ];
    }
  }

  /** Capability probe: `openclaw health --json`, fresh. */
  async function probeHealth(): Promise<Omit<CapabilityCheckResult, "id">> {
    const started = Date.now();
    const base = { kind: "gateway_health" as const };
    try {
      const reply = await health();
      const durationMs = Date.now() - started;
      if (!reply.ok) return { ...base, ok: false, score: 0, durationMs, detail: `openclaw health: ${reply.error.message}`.slice(0, 500) };
      const ok = !reply.eventLoop.degraded && reply.plugins.errors.length === 0;
      const detail = ok
        ? `openclaw health: ok, ${reply.plugins.loaded.length} plugins loaded, event loop not degraded`
        : `openclaw health: ${reply.eventLoop.degraded ? "event loop degraded" : ""}${reply.plugins.errors.length ? ` ${reply.plugins.errors.length} plugin load errors` : ""}`;
      return { ...base, ok, score: ok ? 1 : 0, durationMs, detail: detail.slice(0, 500) };
    } catch (error) {
      return { ...base, ok: false, score: 0, durationMs: Date.now() - started, detail: (error as Error).message.slice(0, 500) };
    }
  }

  /** Capability probe: `openclaw doctor --post-upgrade --json` (plugin compatibility with this core). */
  async function probeCompat(): Promise<Omit<CapabilityCheckResult, "id">> {
    const started = Date.now();
    const base = { kind: "plugin_compat" as const };
    try {
      const report = cli.parse(await cli.openclaw(["doctor", "--post-upgrade", "--json"], command), openclawPostUpgradeSchema, [0, 1]);
      const errors = report.findings.filter((finding) => finding.level === "error");
      const detail =
        report.findings.length === 0
          ? `openclaw doctor --post-upgrade: ${report.probesRun.length} probes, no findings`
          : `openclaw doctor --post-upgrade: ${report.findings.map((f) => `${f.level} ${f.code}: ${f.message}`).join("; ")}`;
      return {
        ...base,
        ok: errors.length === 0,
        score: errors.length === 0 ? 1 : 0,
        durationMs: Date.now() - started,
        detail: detail.slice(0, 500),
      };
    } catch (error) {
      return { ...base, ok: false, score: 0, durationMs: Date.now() - started, detail: (error as Error).message.slice(0, 500) };
    }
  }

  async function currentCoreOrThrow(): Promise<string> {
    forget();
    const current = await core();
    if (!current.version) throw new OperationFailure("command_failed", `openclaw --version did not answer: ${current.text}`);
    return current.version;
  }

  async function backup(coreVersion: string, ctx: StepContext): Promise<StoredBackup> {
    await mkdir(backupDir, { recursive: true, mode: 0o700 });
    ctx.log(`$ openclaw backup create --verify --json --output ${backupDir}`);
    const created = cli.parse(
      await cli.openclaw(["backup", "create", "--verify", "--json", "--output", backupDir], {
        timeoutMs: config.timeoutsMs.backup,
        signal: ctx.signal,
      }),
      openclawBackupCreateSchema,
    );
    const stateAsset = created.assets.find((asset) => asset.kind === "state");
    if (!created.verified || !stateAsset) {
      throw new OperationFailure(
        "command_failed",
        `openclaw backup create did not report a verified archive of the state directory (verified: ${created.verified}, assets: ${created.assets.map((a) => a.kind).join(", ") || "none"})`,
      );
    }
    const stored: StoredBackup = {
      archivePath: created.archivePath,
      createdAt: created.createdAt,
      coreVersion,
      verified: true,
      stateDir: stateAsset.sourcePath,
      stateArchivePath: stateAsset.archivePath,
    };
    await persist({ ...state, backups: [...state.backups, stored].slice(-KEPT_BACKUP_RECORDS) });
    ctx.log(`verified backup of ${stored.stateDir} on ${coreVersion}: ${stored.archivePath}`);
    return stored;
  }

  function publicBackup(stored: StoredBackup): GatewayBackup {
    return { archivePath: stored.archivePath, createdAt: stored.createdAt, coreVersion: stored.coreVersion, verified: stored.verified };
  }

  async function stopSupervised(ctx: StepContext, why: string): Promise<boolean> {
    if (!supervisor?.running()) return false;
    ctx.log(`stopping the supervised gateway (pid ${supervisor.pid()}) ${why}`);
    await supervisor.stop();
    forget();
    return true;
  }

  async function startSupervised(ctx: StepContext): Promise<void> {
    if (!supervisor) return;
    ctx.log(`$ openclaw gateway --port ${config.gateway.port} --bind loopback  (supervised)`);
    const started = Date.now();
    await supervisor.start(ctx.signal);
    supervisedCore = await currentCoreOrThrow();
    ctx.log(`gateway ready in ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${supervisor.pid()}, core ${supervisedCore})`);
  }

  async function upgrade(target: string, current: string, ctx: StepContext): Promise<CoreInstallFacts> {
    // A target the registry does not have is refused here, before anything changed or stopped.
    ctx.log(`$ openclaw update --dry-run --tag ${target} --json --yes`);
    const dry = await cli.openclaw(["update", "--dry-run", "--tag", target, "--json", "--yes"], {
      timeoutMs: config.timeoutsMs.command * 2,
      signal: ctx.signal,
    });
    if (dry.exitCode !== 0) {
      const parsed = openclawUpdateResultSchema.safeParse(parseJson(dry.stdout));
      throw new OperationFailure(
        dry.timedOut ? "command_timeout" : "command_failed",
        `openclaw update --dry-run --tag ${target} refused: ${parsed.success ? failureText(parsed.data) : cliText(dry)}`,
      );
    }
    const taken = await backup(current, ctx);
    const facts: CoreInstallFacts = { backup: publicBackup(taken) };
    // A gateway run from a terminal (not a managed service) must be stopped for the update and
    // started again afterwards (OpenClaw docs: install/updating/automatic-updates).
    const wasRunning = await stopSupervised(ctx, "for the update");
    ctx.log(`$ openclaw update --tag ${target} --json --no-restart --yes`);
    const started = Date.now();
    const run = await cli.openclaw(["update", "--tag", target, "--json", "--no-restart", "--yes"], {
      timeoutMs: config.timeoutsMs.update,
      signal: ctx.signal,
    });
    forget();
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    const after = (await core()).version;
    const parsed = openclawUpdateResultSchema.safeParse(parseJson(run.stdout));
    if (run.exitCode === 0 && parsed.success && parsed.data.status === "ok" && after === target) {
      ctx.log(
        `openclaw update: ${parsed.data.status} in ${seconds} s, ${parsed.data.before?.version ?? current} → ${parsed.data.after?.version ?? after} (${parsed.data.steps.map((s) => s.name).join(", ")})`,
      );
      return facts;
    }
    const text = parsed.success
      ? `${parsed.data.status}: ${failureText(parsed.data)}`
      : `${run.exitCode === null ? "was killed" : `exited ${run.exitCode}`}: ${cliText(run)}`;
    if (wasRunning && after === current && !ctx.signal.aborted) {
      ctx.log("the update changed nothing; starting the gateway again", "warn");
      await startSupervised(ctx);
    }
    throw new OperationFailure(
      run.timedOut ? "command_timeout" : "command_failed",
      `openclaw update --tag ${target} ${text}${after === current ? "" : ` (openclaw --version now says ${after ?? "nothing"})`}`.slice(
        0,
        4000,
      ),
      facts,
    );
  }

  /** The npm prefix the CLI lives in, from `openclaw update status --json`. */
  async function installPrefix(): Promise<string> {
    const status = cli.parse(await cli.openclaw(["update", "status", "--json"], command), openclawUpdateStatusSchema);
    const suffix = `${path.sep}lib${path.sep}node_modules${path.sep}openclaw`;
    if (status.update.installKind !== "package" || status.update.packageManager !== "npm" || !status.update.root.endsWith(suffix)) {
      throw new OperationFailure(
        "command_failed",
        `cannot downgrade this install with npm: openclaw update status says ${status.update.installKind} install via ${status.update.packageManager ?? "unknown"} at ${status.update.root}`,
      );
    }
    return status.update.root.slice(0, -suffix.length);
  }

  /**
   * `openclaw update` refuses to go back once it migrated the state database (2026.9.6 moves it to
   * schema 18; 2026.9.5 reads 17 only), so: install the exact older package with npm, move the
   * state directory aside, restore the verified backup taken on that version into a fresh
   * directory, and put its state directory in place.
   */
  async function downgrade(target: string, current: string, ctx: StepContext): Promise<CoreInstallFacts> {
    const stored = [...state.backups].reverse().find((b) => b.coreVersion === target);
    if (!stored) {
      throw new OperationFailure(
        "command_failed",
        `no verified backup taken on ${target}: refusing to downgrade from ${current}, since ${target} may not open state that ${current} migrated`,
      );
    }
    await stat(stored.archivePath).catch(() => {
      throw new OperationFailure("command_failed", `the backup taken on ${target} is gone: ${stored.archivePath}`);
    });
    const prefix = await installPrefix();
    const wasRunning = await stopSupervised(ctx, "for the downgrade");
    ctx.log(`$ npm install --global --prefix ${prefix} openclaw@${target}`);
    const installed = await cli.npm(["install", "--global", "--prefix", prefix, "--no-audit", "--no-fund", `openclaw@${target}`], {
      timeoutMs: config.timeoutsMs.install,
      signal: ctx.signal,
    });
    forget();
    if (installed.exitCode !== 0) {
      if (wasRunning && (await core()).version === current && !ctx.signal.aborted) {
        ctx.log("npm changed nothing; starting the gateway again", "warn");
        await startSupervised(ctx);
      }
      throw new OperationFailure(
        installed.timedOut ? "command_timeout" : "command_failed",
        `npm install openclaw@${target} failed: ${cliText(installed)}`,
      );
    }
    const now = await currentCoreOrThrow();
    if (now !== target) throw new OperationFailure("command_failed", `npm installed openclaw@${target} but openclaw --version says ${now}`);

    const aside = `${stored.stateDir}.before-rollback-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    const restoreDir = await mkdtemp(path.join(path.dirname(stored.stateDir), ".openclaw-restore-"));
    await rm(restoreDir, { recursive: true });
    const mode = (await stat(stored.stateDir)).mode & 0o777;
    await rename(stored.stateDir, aside);
    ctx.log(`moved ${stored.stateDir} aside to ${aside} (state written by ${current}; kept, not deleted)`);
    ctx.log(`$ openclaw backup restore ${stored.archivePath} --target ${restoreDir} --json`);
    try {
      const restored = cli.parse(
        await cli.openclaw(["backup", "restore", stored.archivePath, "--target", restoreDir, "--json"], {
          timeoutMs: config.timeoutsMs.backup,
          signal: ctx.signal,
        }),
        openclawBackupRestoreSchema,
      );
      for (const warning of restored.warnings ?? [])
        ctx.log(`openclaw backup restore: ${typeof warning === "string" ? warning : warning.message}`, "warn");
      await cp(path.join(restoreDir, stored.stateArchivePath), stored.stateDir, { recursive: true, preserveTimestamps: true });
      await chmod(stored.stateDir, mode);
    } catch (error) {
      // Put the newer state back rather than leave the node with none.
      await rm(stored.stateDir, { recursive: true, force: true });
      await rename(aside, stored.stateDir);
      throw error;
    } finally {
      await rm(restoreDir, { recursive: true, force: true });
      forget();
    }
    ctx.log(`restored ${stored.stateDir} from ${stored.archivePath} (taken ${stored.createdAt} on ${target})`);
    return { restoredBackup: publicBackup(stored) };
  }

  async function pluginStep(args: string[], ctx: StepContext): Promise<void> {
    ctx.log(`$ openclaw ${args.join(" ")}`);
    const result = await cli.openclaw(args, { timeoutMs: config.timeoutsMs.install, signal: ctx.signal });
    forget();
    ctx.signal.throwIfAborted();
    if (result.exitCode !== 0) {
      throw new OperationFailure(
        result.timedOut ? "command_timeout" : "command_failed",
        `openclaw ${args.join(" ")} failed: ${cliText(result)}`,
      );
    }
  }

  async function waitHealthy(ctx: StepContext): Promise<void> {
    const deadline = Date.now() + config.gateway.readyTimeoutMs;
    for (;;) {
      const reply = await health().catch((error: unknown) => ({ ok: false as const, error: { message: (error as Error).message } }));
      ctx.signal.throwIfAborted();
      if (reply.ok) return;
      if (Date.now() >= deadline)
        throw new OperationFailure(
          "restart_timeout",
          `gateway did not answer openclaw health within ${config.gateway.readyTimeoutMs} ms: ${reply.error.message}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  if (supervisor) {
    // The gateway comes up with the agent; a node whose gateway cannot start reports why in doctor.
    await supervisor.start().then(
      async () => {
        supervisedCore = (await core()).version;
      },
      (error: unknown) => console.error(`[agent] openclaw gateway did not start: ${(error as Error).message}`),
    );
  }

  return {
    kind: "openclaw",

    async snapshot(): Promise<DriverSnapshot> {
      const [current, installedPlugins, lockfile, hash] = await Promise.all([
        core(),
        plugins().catch(() => []),
        readLockfile(),
        configHash().catch(() => null),
      ]);
      return {
        installed: {
          core: current.version,
          plugins: Object.fromEntries(installedPlugins.map((plugin) => [plugin.packageName, plugin.version ?? "unknown"])),
        },
        // OpenClaw does not declare a peer range per plugin; compatibility is what
        // `openclaw doctor --post-upgrade` reports (the plugin_compat probe of verify).
        pluginTree: installedPlugins.map((plugin) => ({
          name: plugin.packageName,
          version: plugin.version ?? "unknown",
          peer: "*",
          peerOk: plugin.status !== "error",
        })),
        lockfile,
        configHash: hash,
      };
    },

    doctorChecks: () =>
      cached("doctor", async () => {
        const [lint, autoUpdate, gateway, pluginList] = await Promise.all([
          lintChecks(),
          autoUpdateCheck(),
          gatewayCheck(),
          pluginsCheck(),
        ]);
        return [...lint, autoUpdate, gateway, ...pluginList];
      }),

    // OpenClaw's CLI reports none of these (no memory, queue, task or token totals without the
    // diagnostics plugin): zeros, documented as "unknown" rather than invented.
    async telemetry(): Promise<DriverTelemetry> {
      return {
        memoryBytes: 0,
        memoryLimitBytes: 0,
        queue: { depth: 0, inFlight: 0, oldestAgeMs: 0, completedRetained: 0, processingRatePerSec: 0 },
        tasks: { processedTotal: 0, errorsTotal: 0, tokensSpentTotal: 0 },
      };
    },
    webhookCounts: async () => ({ received: 0, failed: 0, byEvent: {}, lastReceivedAt: null }),
    taskDurationsSeconds: () => [],

    async runCapabilityChecks(requested, ctx) {
      const checks: CapabilityCheck[] | null = requested ?? state.capabilities.checks;
      if (checks !== null && checks.length === 0) {
        if (requested !== null) await persist({ ...state, capabilities: { checks: [], last: null } });
        return null;
      }
      ctx.log("$ openclaw health --json; openclaw doctor --post-upgrade --json");
      const [healthProbe, compatProbe] = await Promise.all([probeHealth(), probeCompat()]);
      ctx.signal.throwIfAborted();
      const results: CapabilityCheckResult[] = [];
      // Requested checks of the gateway's own kinds are answered by its probes; others (model
      // replies, tool calls, ...) need a model and are left unreported, so the agent fails them as
      // "not run" instead of this driver pretending.
      for (const check of checks ?? []) {
        if (check.kind === "gateway_health") results.push({ ...healthProbe, id: check.id });
        if (check.kind === "plugin_compat") results.push({ ...compatProbe, id: check.id });
      }
      const ids = new Set((checks ?? []).map((check) => check.id));
      if (!(checks ?? []).some((check) => check.kind === "gateway_health") && !ids.has(PROBE_IDS.health))
        results.push({ ...healthProbe, id: PROBE_IDS.health });
      if (!(checks ?? []).some((check) => check.kind === "plugin_compat") && !ids.has(PROBE_IDS.compat))
        results.push({ ...compatProbe, id: PROBE_IDS.compat });
      const run: DriverCapabilities = { checks: checks ?? [], results, checkedAt: new Date() };
      await persist({ ...state, capabilities: { checks, last: { checks: run.checks, results, checkedAt: run.checkedAt.toISOString() } } });
      return run;
    },

    async latestCapabilities() {
      const last = state.capabilities.last;
      return last ? { checks: last.checks, results: last.results, checkedAt: new Date(last.checkedAt) } : null;
    },

    // OpenClaw has no load balancer of its own: drain and weight are recorded and reported only.
    lbState: async () => ({ ...state.lb }),
    async setLbState(patch, ctx) {
      ctx.signal.throwIfAborted();
      await persist({ ...state, lb: { ...state.lb, ...patch } });
      return { ...state.lb };
    },

    async writeLockfile(lock: Lock, ctx) {
      ctx.signal.throwIfAborted();
      await mkdir(path.dirname(lockfilePath), { recursive: true });
      await lockfileWriter.write(formatLockfile(lock));
      ctx.log(`wrote ${lockfilePath}`);
    },

    async installCore(version, ctx) {
      const current = await currentCoreOrThrow();
      if (current === version) return {};
      return semver.lt(version, current) ? downgrade(version, current, ctx) : upgrade(version, current, ctx);
    },

    installPlugin: (name, version, ctx) => pluginStep(["plugins", "install", `${name}@${version}`, "--pin"], ctx),
    // `plugins uninstall` takes OpenClaw's plugin id, which the lock does not know.
    async removePlugin(name, ctx) {
      forget();
      const id = (await plugins()).find((plugin) => plugin.packageName === name)?.id ?? name;
      await pluginStep(["plugins", "uninstall", id, "--force"], ctx);
    },

    // `openclaw update` runs OpenClaw's data migrations itself (its "Checking data migrations"
    // step; 2026.9.6 moves the state database from schema 17 to 18); there is no separate command.
    async migrate(ctx) {
      ctx.log("migrations: run by openclaw update itself");
    },

    async restart(ctx) {
      forget();
      if (supervisor) {
        const installedCore = (await core()).version;
        if (!supervisor.running() || installedCore !== supervisedCore) {
          // A new core needs a new process: an in-process restart would keep the old code loaded.
          await stopSupervised(
            ctx,
            installedCore !== supervisedCore ? `(it runs ${supervisedCore ?? "nothing"}, ${installedCore ?? "nothing"} is installed)` : "",
          );
          await startSupervised(ctx);
          await waitHealthy(ctx);
          forget();
          return;
        }
      }
      ctx.log("$ openclaw gateway restart --safe --json");
      const readyBefore = supervisor?.readyCount() ?? 0;
      const reply = cli.parse(
        await cli.openclaw(["gateway", "restart", "--safe", "--json"], { timeoutMs: config.timeoutsMs.command, signal: ctx.signal }),
        openclawSafeRestartSchema,
      );
      if (!reply.ok)
        throw new OperationFailure("command_failed", `openclaw gateway restart --safe: ${reply.message ?? reply.result ?? "not ok"}`);
      ctx.log(`openclaw gateway restart --safe: ${reply.result ?? "ok"}${reply.message ? ` (${reply.message})` : ""}`);
      // The supervised gateway says ready again after its in-process restart; a managed one is
      // polled until it answers health.
      if (supervisor) await supervisor.waitReady(readyBefore, ctx.signal);
      await waitHealthy(ctx);
      forget();
      ctx.log("gateway is back");
    },

    async close() {
      stateWriter.freeze();
      lockfileWriter.freeze();
      await supervisor?.close();
    },
  };
}
