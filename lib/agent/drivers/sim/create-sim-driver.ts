import { createHash, randomInt } from "node:crypto";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import major from "semver/functions/major.js";
import satisfies from "semver/functions/satisfies.js";
import { lockSchema, type CapabilityCheck, type DoctorCheck, type LbState, type Lock } from "@/lib/protocol";
import { OperationFailure } from "../../operations/operation-failure";
import { createJsonFileWriter } from "../../state/create-json-file-writer";
import { readJsonFile } from "../../state/read-json-file";
import type { AgentDriver, DriverSnapshot, StepContext } from "../agent-driver";
import { formatLockfile } from "../format-lockfile";
import { simCapabilities } from "./sim-capabilities";
import { simDefaultCapabilityChecks } from "./sim-default-capability-checks";
import type { SimFaultMap } from "./sim-faults-schema";
import { simLatencyFactor, simProfile, simTotalsAt } from "./sim-profile";
import { simStateSchema, type SimState } from "./sim-state-schema";
import { simLatencyFactorForTask, simTaskDurationSeconds } from "./sim-task-duration";
import { simTelemetry } from "./sim-telemetry";
import { simWebhookCounts } from "./sim-webhook-counts";

export const defaultSimLock: Lock = {
  core: "2026.11.2",
  plugins: {
    "@openclaw/github": "2026.10.3",
    "@openclaw/memory-lancedb": "2026.11.1",
    "@openclaw/slack": "2026.11.0",
  },
};

// A representative gateway config; identical on every simulated node so config hashes agree.
const SIM_CONFIG = {
  gateway: { port: 18789, bind: "loopback", auth: { mode: "token" } },
  agents: { defaults: { model: "anthropic/claude-sonnet-4-5", maxConcurrent: 4 } },
  storage: { driver: "sqlite", path: "~/.openclaw/state.db" },
  tools: { browser: true, exec: { sandbox: "docker" }, web: true },
};

/** Step durations in ms at speed 1: an upgrade takes ~2.5 s, which reads well in a demo. */
const STEP_MS = {
  writeLockfile: 50,
  installCore: 900,
  installPlugin: 250,
  removePlugin: 150,
  migrate: 400,
  restart: 500,
  restartGiveUp: 4000,
  drain: 600,
  lbChange: 100,
};

export type SimDriverOptions = {
  stateDir: string;
  /** Tree of a brand-new simulated node; ignored once sim-state.json exists. */
  initial?: Lock;
  seed?: number;
  /** Step durations are divided by this: 10 makes an upgrade take ~250 ms for tests. */
  speed?: number;
  /** Multiplies gateway uptime for time-based faults, e.g. 240 turns a 4 h leak into 1 min. */
  timeScale?: number;
  /** When given, replaces the fault map persisted in the state. */
  faults?: SimFaultMap;
  /**
   * Capability checks of a brand-new node (its gateway's own probes) until a verify hands it a
   * release's; null for none (no capability score until then). Default: one check per kind.
   */
  capabilityChecks?: CapabilityCheck[] | null;
  memoryLimitBytes?: number;
  now?: () => number;
};

export type SimDriver = AgentDriver & {
  readonly kind: "sim";
  /** A copy of the current state, for tests and the fleet CLI. */
  readState(): SimState;
  setFaults(faults: SimFaultMap): Promise<void>;
};

/**
 * A simulated OpenClaw install: versions, lockfile, LB state and a task stream whose metrics
 * are computed from state + elapsed time + seed. Every step persists before it reports success,
 * so an agent killed mid-upgrade comes back to the truth of what was installed.
 */
export async function createSimDriver(options: SimDriverOptions): Promise<SimDriver> {
  const now = options.now ?? (() => Date.now());
  const speed = options.speed ?? 1;
  const timeScale = options.timeScale ?? 1;
  const memoryLimitBytes = options.memoryLimitBytes ?? 8 * 1024 ** 3;
  const statePath = path.join(options.stateDir, "sim-state.json");
  const writer = createJsonFileWriter(statePath);

  let state: SimState = (await readJsonFile(statePath, simStateSchema)) ?? newState(options, now());
  checkpoint(state);
  if (options.faults) state.faults = options.faults;
  recordLatency(state);
  await writer.write(state);
  let commits: Promise<void> = Promise.resolve();

  async function step(ms: number, ctx: StepContext): Promise<void> {
    await sleep(ms / speed, undefined, { signal: ctx.signal });
  }

  /**
   * Applies a change to a copy, persists the copy, and only then makes it the state everyone reads:
   * nothing the agent reports can be lost by a crash. Commits run one at a time, so none is built on
   * a copy another is about to replace. Refuses once the agent is shutting down (a "crash").
   * Every commit first folds the totals so far into the checkpoint: whatever the change does to the
   * rates (weight, drain, a core whose fault raises the error rate), it applies from now on only.
   */
  function commit(ctx: StepContext | null, change: (draft: SimState) => void): Promise<void> {
    const run = commits.then(async () => {
      ctx?.signal.throwIfAborted();
      const draft = structuredClone(state);
      checkpoint(draft);
      change(draft);
      recordLatency(draft);
      await writer.write(draft);
      state = draft;
    });
    commits = run.catch(() => undefined);
    return run;
  }

  // Totals so far are folded into the checkpoint before anything that changes a rate.
  function checkpoint(draft: SimState): void {
    const at = now();
    const totals = simTotalsAt(draft, at, timeScale);
    draft.tasks = {
      ...draft.tasks,
      processed: totals.processed,
      errors: totals.errors,
      tokens: totals.tokens,
      since: Math.max(at, draft.tasks.since),
    };
  }

  // Tasks from here on run at the current latency factor; the boundary is kept so tasks already
  // processed, but not yet observed by a scrape, keep the factor they ran under.
  function recordLatency(draft: SimState): void {
    const factor = simLatencyFactor(draft);
    const segments = draft.tasks.latency;
    if ((segments.at(-1)?.factor ?? 1) === factor) return;
    const fromIndex = Math.floor(draft.tasks.processed);
    draft.tasks.latency = [...segments.filter((segment) => segment.fromIndex < fromIndex), { fromIndex, factor }].slice(-8);
  }

  // Installs tried per version since this process started, for the registryTimeouts fault.
  const installAttempts = new Map<string, number>();

  function faultsNow() {
    return state.faults[state.installed.core];
  }

  function pluginTree(): DriverSnapshot["pluginTree"] {
    return Object.entries(state.installed.plugins)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, plugin]) => {
        const peer = `^${plugin.builtForMajor}.0.0`;
        return { name, version: plugin.version, peer, peerOk: satisfies(state.installed.core, peer) };
      });
  }

  return {
    kind: "sim",
    timeScale,

    readState: () => structuredClone(state),

    async setFaults(faults) {
      await commit(null, (draft) => {
        draft.faults = faults;
      });
    },

    async snapshot() {
      let lockfile: DriverSnapshot["lockfile"] = null;
      if (state.lockfile !== null) {
        let lock: Lock | null = null;
        try {
          lock = lockSchema.parse(JSON.parse(state.lockfile));
        } catch {
          lock = null;
        }
        lockfile = { lock, sha256: createHash("sha256").update(state.lockfile).digest("hex") };
      }
      return {
        installed: {
          core: state.installed.core,
          plugins: Object.fromEntries(Object.entries(state.installed.plugins).map(([name, p]) => [name, p.version])),
        },
        pluginTree: pluginTree(),
        lockfile,
        configHash: createHash("sha256").update(state.configText).digest("hex"),
      };
    },

    async doctorChecks() {
      const telemetry = simTelemetry(state, now(), { timeScale, memoryLimitBytes });
      const broken = pluginTree().filter((plugin) => !plugin.peerOk);
      const memoryPct = Math.round((telemetry.memoryBytes / memoryLimitBytes) * 100);
      const checks: DoctorCheck[] = [
        { id: "config-shape", status: "ok", message: "openclaw.json validates against the installed schema" },
        { id: "auth-ready", status: "ok", message: "gateway token present; channel credentials valid" },
        broken.length > 0
          ? {
              id: "plugin-peer-tree",
              status: "fail",
              message: broken.map((p) => `${p.name}@${p.version} wants openclaw ${p.peer}, core is ${state.installed.core}`).join("; "),
            }
          : {
              id: "plugin-peer-tree",
              status: "ok",
              message: `${Object.keys(state.installed.plugins).length} plugins, all peers satisfied`,
            },
        { id: "storage", status: "ok", message: "state.db writable, WAL checkpointed" },
        { id: "tools", status: "ok", message: "browser, exec and web tools answered" },
        {
          id: "memory",
          status: memoryPct >= 90 ? "fail" : memoryPct >= 75 ? "warn" : "ok",
          message: `${memoryPct}% of the ${(memoryLimitBytes / 1024 ** 3).toFixed(0)} GiB limit in use`,
        },
        state.service.up
          ? { id: "service", status: "ok", message: "gateway answering on :18789" }
          : { id: "service", status: "fail", message: "gateway process is not running" },
      ];
      const failing = faultsNow()?.doctorFail;
      if (failing) {
        const index = checks.findIndex((check) => check.id === failing.check);
        const check: DoctorCheck = { id: failing.check, status: "fail", message: failing.message };
        if (index >= 0) checks[index] = check;
        else checks.push(check);
      }
      return checks;
    },

    async telemetry() {
      return simTelemetry(state, now(), { timeScale, memoryLimitBytes });
    },

    async webhookCounts(windowSec) {
      return simWebhookCounts(state, now(), windowSec);
    },

    taskDurationsSeconds(from, to) {
      const nodeFactor = simProfile(state.seed).latencyFactor;
      const durations: number[] = [];
      for (let index = from; index < to; index++) {
        durations.push(simTaskDurationSeconds(state.seed, index, nodeFactor * simLatencyFactorForTask(state, index)));
      }
      return durations;
    },

    async runCapabilityChecks(checks, ctx) {
      if (checks !== null) {
        ctx.log(
          checks.length > 0
            ? `running ${checks.length} capability checks: ${checks.map((check) => check.id).join(", ")}`
            : "release lists no capability checks",
        );
        await commit(ctx, (draft) => {
          draft.capabilities = { checks: checks.length > 0 ? checks : null, checksAt: now() };
        });
      } else if (state.capabilities.checks !== null) {
        await commit(ctx, (draft) => {
          draft.capabilities.checksAt = now();
        });
      }
      return simCapabilities(state, now(), timeScale);
    },

    async latestCapabilities() {
      return simCapabilities(state, now(), timeScale);
    },

    async lbState(): Promise<LbState> {
      return { ...state.lb };
    },

    async setLbState(patch, ctx) {
      if (patch.drained === true && !state.lb.drained) ctx.log("draining: waiting for in-flight tasks to finish");
      await step(patch.drained === true ? STEP_MS.drain : STEP_MS.lbChange, ctx);
      await commit(ctx, (draft) => {
        draft.lb = { ...draft.lb, ...patch };
      });
      return { ...state.lb };
    },

    async writeLockfile(lock, ctx) {
      await step(STEP_MS.writeLockfile, ctx);
      await commit(ctx, (draft) => {
        draft.lockfile = formatLockfile(lock);
      });
    },

    async installCore(version, ctx) {
      ctx.log(`npm install -g openclaw@${version}`);
      await step(STEP_MS.installCore, ctx);
      const timeouts = state.faults[version]?.registryTimeouts ?? 0;
      const attempt = (installAttempts.get(version) ?? 0) + 1;
      installAttempts.set(version, attempt);
      if (attempt <= timeouts) {
        throw new OperationFailure(
          "install_failed",
          `npm ERR! network request to the registry for openclaw@${version} timed out (ETIMEDOUT)`,
        );
      }
      await commit(ctx, (draft) => {
        draft.installed.core = version;
      });
      if (faultsNow()?.crashMidUpgrade) {
        await commit(ctx, (draft) => {
          draft.service = { up: false, since: now() };
          draft.tasks.extraErrors += 1;
        });
        throw new OperationFailure(
          "gateway_crashed",
          `gateway exited with SIGSEGV right after core ${version} was installed; plugins were not upgraded`,
        );
      }
    },

    async installPlugin(name, version, ctx) {
      const actual = faultsNow()?.pluginDrift?.[name] ?? version;
      ctx.log(`openclaw plugins install ${name}@${version}`);
      await step(STEP_MS.installPlugin, ctx);
      if (actual !== version) ctx.log(`installer resolved ${name} to ${actual} instead of ${version}`, "warn");
      await commit(ctx, (draft) => {
        draft.installed.plugins[name] = { version: actual, builtForMajor: major(draft.installed.core) };
      });
    },

    async removePlugin(name, ctx) {
      ctx.log(`openclaw plugins uninstall ${name}`);
      await step(STEP_MS.removePlugin, ctx);
      await commit(ctx, (draft) => {
        delete draft.installed.plugins[name];
      });
    },

    async migrate(ctx) {
      const slow = faultsNow()?.slowMigrationMs;
      ctx.log(slow ? "running state migrations (large backlog, this will take a while)" : "running state migrations");
      await step(slow ?? STEP_MS.migrate, ctx);
    },

    async restart(ctx) {
      ctx.log("restarting gateway");
      await commit(ctx, (draft) => {
        draft.service = { up: false, since: now() };
      });
      await step(STEP_MS.restart, ctx);
      if (faultsNow()?.restartNeverReturns) {
        await step(STEP_MS.restartGiveUp, ctx);
        throw new OperationFailure(
          "restart_timeout",
          `gateway did not answer its health check within ${Math.round(STEP_MS.restartGiveUp / speed)} ms after restart`,
        );
      }
      await commit(ctx, (draft) => {
        draft.service = { up: true, since: now() };
      });
    },

    async close() {
      writer.freeze();
    },
  };
}

function newState(options: SimDriverOptions, nowMs: number): SimState {
  const lock = options.initial ?? defaultSimLock;
  const seed = options.seed ?? randomInt(2 ** 31);
  const builtForMajor = major(lock.core);
  // Pretend the gateway has been serving for an hour, so counters and digests look lived-in.
  const since = nowMs - 3600_000;
  const profile = simProfile(seed);
  const processed = Math.floor(profile.taskRatePerSec * 3600);
  return {
    version: 1,
    seed,
    installed: {
      core: lock.core,
      plugins: Object.fromEntries(Object.entries(lock.plugins).map(([name, version]) => [name, { version, builtForMajor }])),
    },
    lockfile: formatLockfile(lock),
    configText: JSON.stringify(SIM_CONFIG, null, 2),
    lb: { weight: 100, drained: false },
    service: { up: true, since },
    tasks: {
      processed,
      errors: processed * profile.errorRate,
      tokens: processed * profile.avgTokensPerTask,
      extraErrors: 0,
      since: nowMs,
      latency: [],
    },
    faults: options.faults ?? {},
    capabilities: {
      checks: options.capabilityChecks === undefined ? simDefaultCapabilityChecks : options.capabilityChecks,
      checksAt: null,
    },
  };
}
