import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import {
  capabilityCheckListSchema,
  capabilityCheckResultSchema,
  doctorCheckSchema,
  lbStateSchema,
  lockSchema,
  type CapabilityCheck,
  type DoctorCheck,
  type LbState,
  type Lock,
} from "@/lib/protocol";
import { OperationFailure } from "../../operations/operation-failure";
import { createJsonFileWriter } from "../../state/create-json-file-writer";
import { readJsonFile } from "../../state/read-json-file";
import type { AgentDriver, DriverCapabilities, DriverSnapshot, DriverTelemetry, StepContext } from "../agent-driver";
import { formatLockfile } from "../format-lockfile";
import { execStatusSchema, type ExecConfig, type ExecStatus } from "./exec-config-schema";
import { renderArgv, type ArgvValues } from "./render-argv";
import { runCommand, type CommandResult } from "./run-command";

const doctorOutputSchema = z.object({ checks: z.array(doctorCheckSchema) });
const capabilitiesOutputSchema = z.object({ checks: z.array(capabilityCheckResultSchema).min(1).max(64) });

/**
 * What survives an agent restart: the node's check set (null: never given one, so the gateway's own
 * probes run; []: the release has none) and the last run, which readiness and /metrics show.
 */
const capabilityStateSchema = z.object({
  checks: capabilityCheckListSchema.nullable(),
  last: z
    .object({ checks: capabilityCheckListSchema, results: z.array(capabilityCheckResultSchema), checkedAt: z.iso.datetime() })
    .nullable(),
});
type CapabilityState = z.infer<typeof capabilityStateSchema>;

// Status is read by every report and scrape; a second of staleness saves a process spawn per call.
const STATUS_CACHE_MS = 1000;
const LOGGED_OUTPUT_CHARS = 4000;

export type ExecDriverOptions = { stateDir: string; config: ExecConfig };

function describe(result: CommandResult): string {
  if (result.spawnError) return `could not start ${result.argv[0]}: ${result.spawnError}`;
  if (result.timedOut) return `timed out after ${result.durationMs} ms and was killed`;
  if (result.signal) return `killed by ${result.signal}`;
  return `exited ${result.exitCode}`;
}

function tail(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > LOGGED_OUTPUT_CHARS ? `…${trimmed.slice(-LOGGED_OUTPUT_CHARS)}` : trimmed;
}

/**
 * Drives a gateway through the operator's command templates (see exec-config-schema): a generic
 * template driver for installs without a driver of their own (OpenClaw has one: ../openclaw).
 * Nothing here goes through a shell; see render-argv and run-command for why that is safe.
 */
export async function createExecDriver(options: ExecDriverOptions): Promise<AgentDriver> {
  const { config } = options;
  const lockfilePath = config.lockfilePath ?? path.join(options.stateDir, "openclaw.lock.json");
  const lbPath = path.join(options.stateDir, "exec-lb.json");
  const lbWriter = createJsonFileWriter(lbPath);
  // The lockfile is written as formatLockfile's exact bytes: its hash is compared across nodes.
  const lockfileWriter = createJsonFileWriter(lockfilePath, (text) => String(text));
  let lb: LbState = (await readJsonFile(lbPath, lbStateSchema)) ?? { weight: 100, drained: false };
  const capabilityPath = path.join(options.stateDir, "exec-capabilities.json");
  const capabilityWriter = createJsonFileWriter(capabilityPath);
  let capabilities: CapabilityState = (await readJsonFile(capabilityPath, capabilityStateSchema)) ?? { checks: null, last: null };
  let statusCache: { at: number; value: Promise<ExecStatus | null> } | null = null;

  // Templates are checked once at start, so a typo in a placeholder fails loudly now rather than
  // in the middle of an upgrade.
  const probe: Record<string, ArgvValues> = {
    installCore: { version: "1.0.0" },
    installPlugin: { version: "1.0.0", name: "probe" },
    removePlugin: { name: "probe" },
    setWeight: { weight: 0 },
  };
  for (const [key, template] of Object.entries(config.commands)) {
    if (template) renderArgv(template, probe[key] ?? {});
  }

  function run(argv: string[], timeoutMs: number, signal?: AbortSignal, env?: Record<string, string>): Promise<CommandResult> {
    return runCommand(argv, {
      timeoutMs,
      maxOutputBytes: config.maxOutputBytes,
      env: env ? { ...config.env, ...env } : config.env,
      ...(signal ? { signal } : {}),
    });
  }

  /** Runs one step's command, logs its output, and turns any failure into an OperationFailure. */
  async function step(
    template: readonly string[],
    values: ArgvValues,
    timeoutMs: number,
    ctx: StepContext,
    env?: Record<string, string>,
  ): Promise<CommandResult> {
    const argv = renderArgv(template, values);
    ctx.log(`$ ${argv.join(" ")}`);
    const result = await run(argv, timeoutMs, ctx.signal, env);
    statusCache = null;
    ctx.signal.throwIfAborted();
    const output = tail(`${result.stdout}\n${result.stderr}`);
    if (output) ctx.log(output + (result.truncated ? "\n(output truncated)" : ""));
    if (result.exitCode !== 0) {
      throw new OperationFailure(
        result.timedOut ? "command_timeout" : "command_failed",
        `${argv.join(" ")} ${describe(result)}${result.stderr.trim() ? `: ${tail(result.stderr).slice(-500)}` : ""}`,
      );
    }
    return result;
  }

  function status(): Promise<ExecStatus | null> {
    if (statusCache && Date.now() - statusCache.at < STATUS_CACHE_MS) return statusCache.value;
    const value = (async () => {
      const result = await run(renderArgv(config.commands.status, {}), config.timeoutsMs.command);
      if (result.exitCode !== 0) return null;
      try {
        return execStatusSchema.parse(JSON.parse(result.stdout));
      } catch {
        return null;
      }
    })();
    statusCache = { at: Date.now(), value };
    return value;
  }

  async function hashFile(file: string | null): Promise<{ text: string; sha256: string } | null> {
    if (!file) return null;
    try {
      const text = await readFile(file, "utf8");
      return { text, sha256: createHash("sha256").update(text).digest("hex") };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async function setLb(patch: Partial<LbState>, ctx: StepContext): Promise<LbState> {
    if (patch.drained === true && config.commands.drain) await step(config.commands.drain, {}, config.timeoutsMs.command, ctx);
    if (patch.drained === false && config.commands.undrain) await step(config.commands.undrain, {}, config.timeoutsMs.command, ctx);
    if (patch.weight !== undefined && config.commands.setWeight) {
      await step(config.commands.setWeight, { weight: patch.weight }, config.timeoutsMs.command, ctx);
    }
    ctx.signal.throwIfAborted();
    lb = { ...lb, ...patch };
    await lbWriter.write(lb);
    return { ...lb };
  }

  return {
    kind: "exec",

    async snapshot(): Promise<DriverSnapshot> {
      const [current, lockfile, configFile] = await Promise.all([status(), hashFile(lockfilePath), hashFile(config.configPath)]);
      let lock: Lock | null = null;
      if (lockfile) {
        try {
          lock = lockSchema.parse(JSON.parse(lockfile.text));
        } catch {
          lock = null;
        }
      }
      const plugins = [...(current?.plugins ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1));
      return {
        // A failing status command reports "nothing known installed", which can never look ready.
        installed: { core: current?.core ?? null, plugins: Object.fromEntries(plugins.map((p) => [p.name, p.version])) },
        pluginTree: plugins.map(({ name, version, peer, peerOk }) => ({ name, version, peer, peerOk })),
        lockfile: lockfile ? { lock, sha256: lockfile.sha256 } : null,
        configHash: configFile?.sha256 ?? null,
      };
    },

    async doctorChecks(): Promise<DoctorCheck[]> {
      const result = await run(renderArgv(config.commands.doctor, {}), config.timeoutsMs.command);
      try {
        return doctorOutputSchema.parse(JSON.parse(result.stdout)).checks;
      } catch {
        return [
          {
            id: "doctor-command",
            status: "fail",
            message: `doctor ${describe(result)} without a readable report: ${tail(result.stderr).slice(-300)}`,
          },
        ];
      }
    },

    async telemetry(): Promise<DriverTelemetry> {
      const current = await status();
      return {
        memoryBytes: current?.memoryBytes ?? 0,
        memoryLimitBytes: current?.memoryLimitBytes ?? 0,
        queue: current?.queue ?? { depth: 0, inFlight: 0, oldestAgeMs: 0, completedRetained: 0, processingRatePerSec: 0 },
        tasks: current?.tasks ?? { processedTotal: 0, errorsTotal: 0, tokensSpentTotal: 0 },
      };
    },

    // The gateway reports deliveries for its own window; the requested window cannot be honoured.
    async webhookCounts() {
      const webhooks = (await status())?.webhooks;
      return {
        received: webhooks?.received ?? 0,
        failed: webhooks?.failed ?? 0,
        byEvent: webhooks?.byEvent ?? {},
        lastReceivedAt: webhooks?.lastReceivedAt ? new Date(webhooks.lastReceivedAt) : null,
      };
    },

    taskDurationsSeconds: () => [],

    async runCapabilityChecks(requested, ctx) {
      const template = config.commands.capabilities;
      const checks: CapabilityCheck[] | null = requested ?? capabilities.checks;
      if (!template || (checks !== null && checks.length === 0)) {
        if (requested !== null) {
          capabilities = { checks: requested, last: null };
          await capabilityWriter.write(capabilities);
        }
        return null;
      }
      const result = await step(template, {}, config.timeoutsMs.capabilities, ctx, {
        ROLLBOOK_CAPABILITY_CHECKS: JSON.stringify(checks ?? []),
      });
      let reported: z.infer<typeof capabilitiesOutputSchema>;
      try {
        reported = capabilitiesOutputSchema.parse(JSON.parse(result.stdout));
      } catch {
        throw new OperationFailure(
          "command_failed",
          `${template.join(" ")} did not print { "checks": [{ id, kind, ok, score, durationMs, detail }] }: ${tail(result.stdout).slice(0, 300)}`,
        );
      }
      const run: DriverCapabilities = { checks: checks ?? [], results: reported.checks, checkedAt: new Date() };
      capabilities = { checks, last: { checks: run.checks, results: run.results, checkedAt: run.checkedAt.toISOString() } };
      await capabilityWriter.write(capabilities);
      return run;
    },

    async latestCapabilities() {
      const last = capabilities.last;
      return last ? { checks: last.checks, results: last.results, checkedAt: new Date(last.checkedAt) } : null;
    },

    lbState: async () => ({ ...lb }),
    setLbState: setLb,

    async writeLockfile(lock, ctx) {
      ctx.signal.throwIfAborted();
      await mkdir(path.dirname(lockfilePath), { recursive: true });
      await lockfileWriter.write(formatLockfile(lock));
      ctx.log(`wrote ${lockfilePath}`);
    },

    async installCore(version, ctx) {
      await step(config.commands.installCore, { version }, config.timeoutsMs.install, ctx);
    },

    async installPlugin(name, version, ctx) {
      await step(config.commands.installPlugin, { name, version }, config.timeoutsMs.install, ctx);
    },

    async removePlugin(name, ctx) {
      await step(config.commands.removePlugin, { name }, config.timeoutsMs.install, ctx);
    },

    async migrate(ctx) {
      if (config.commands.migrate) await step(config.commands.migrate, {}, config.timeoutsMs.install, ctx);
    },

    async restart(ctx) {
      await step(config.commands.restart, {}, config.timeoutsMs.command, ctx);
      const deadline = Date.now() + config.timeoutsMs.restart;
      for (;;) {
        statusCache = null;
        const current = await status();
        // The status command is shared with readers and not killed on abort; stop after it.
        ctx.signal.throwIfAborted();
        if (current && current.service?.up !== false) {
          ctx.log("gateway is back");
          return;
        }
        if (Date.now() >= deadline) {
          throw new OperationFailure(
            "restart_timeout",
            `gateway did not report healthy within ${config.timeoutsMs.restart} ms after restart`,
          );
        }
        await sleep(config.restartPollMs, undefined, { signal: ctx.signal });
      }
    },

    async close() {
      lbWriter.freeze();
      lockfileWriter.freeze();
      capabilityWriter.freeze();
    },
  };
}
