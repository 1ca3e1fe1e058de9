import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { OperationFailure } from "../../operations/operation-failure";
import { openclawBaseEnv } from "./create-openclaw-cli";

const KEPT_LINES = 40;

export type GatewaySupervisorOptions = {
  openclaw: string;
  port: number;
  env: Record<string, string>;
  logFile: string;
  readyTimeoutMs: number;
  stopTimeoutMs: number;
};

/**
 * Runs `openclaw gateway --port <port> --bind loopback` as a child of the agent, for hosts with no
 * service manager (containers, tests). The child leads its own process group, so a stop reaches the
 * gateway's helpers (its spawn broker) too. Output goes to a log file; the supervisor watches it for
 * the gateway's own "[gateway] ready" line, which it prints after every start and in-process
 * restart.
 */
export function superviseOpenclawGateway(options: GatewaySupervisorOptions) {
  let child: ChildProcess | null = null;
  let log: WriteStream | null = null;
  let readyCount = 0;
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const recent: string[] = [];
  const waiters = new Set<() => void>();
  let partial = "";

  function notify() {
    for (const waiter of waiters) waiter();
  }

  function onOutput(chunk: Buffer) {
    log?.write(chunk);
    const text = partial + stripVTControlCharacters(chunk.toString("utf8"));
    const lines = text.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      recent.push(line);
      if (recent.length > KEPT_LINES) recent.shift();
      if (/\[gateway\] ready\b/.test(line)) readyCount += 1;
    }
    notify();
  }

  function lastLines(count = 8): string {
    return recent.slice(-count).join("\n").trim();
  }

  /** Waits for the `after`+1-th ready line; fails when the child exits, the deadline passes or `signal` aborts. */
  async function waitReady(after: number, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + options.readyTimeoutMs;
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (readyCount > after) finish(resolve);
        else if (exited) {
          finish(() =>
            reject(
              new OperationFailure(
                "gateway_crashed",
                `openclaw gateway exited (${exited!.signal ?? `code ${exited!.code}`}) before it was ready: ${lastLines()}`,
              ),
            ),
          );
        } else if (signal?.aborted) finish(() => reject(signal.reason instanceof Error ? signal.reason : new Error("aborted")));
      };
      const timer = setTimeout(
        () =>
          finish(() =>
            reject(
              new OperationFailure(
                "restart_timeout",
                `openclaw gateway did not say ready within ${options.readyTimeoutMs} ms: ${lastLines()}`,
              ),
            ),
          ),
        Math.max(0, deadline - Date.now()),
      );
      const onAbort = () => check();
      signal?.addEventListener("abort", onAbort);
      function finish(settle: () => void) {
        clearTimeout(timer);
        waiters.delete(check);
        signal?.removeEventListener("abort", onAbort);
        settle();
      }
      waiters.add(check);
      check();
    });
  }

  return {
    running: () => child !== null && exited === null,
    pid: () => (exited === null ? (child?.pid ?? null) : null),
    /** How many times the gateway has said ready since the first start (restarts included). */
    readyCount: () => readyCount,
    waitReady,
    lastLines,

    /** Starts the gateway and resolves once it says ready. */
    async start(signal?: AbortSignal): Promise<void> {
      if (child && exited === null) return;
      await mkdir(path.dirname(options.logFile), { recursive: true });
      log ??= createWriteStream(options.logFile, { flags: "a", mode: 0o600 });
      exited = null;
      partial = "";
      const before = readyCount;
      // The token comes from OPENCLAW_GATEWAY_TOKEN in env (the CLI's own default for --token), so
      // it never shows in a process listing. OPENCLAW_NO_AUTO_UPDATE: upgrades come from plans only.
      const started = spawn(options.openclaw, ["gateway", "--port", String(options.port), "--bind", "loopback"], {
        shell: false,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...openclawBaseEnv(), ...options.env, OPENCLAW_NO_AUTO_UPDATE: "1" },
        detached: process.platform !== "win32",
      });
      child = started;
      started.stdout.on("data", onOutput);
      started.stderr.on("data", onOutput);
      started.on("error", (error) => {
        recent.push(`could not start ${options.openclaw}: ${error.message}`);
        if (child === started) exited = { code: null, signal: null };
        notify();
      });
      started.on("exit", (code, exitSignal) => {
        if (child === started) exited = { code, signal: exitSignal };
        notify();
      });
      try {
        await waitReady(before, signal);
      } catch (error) {
        // A gateway that never got ready is not left running behind the failure.
        await this.stop();
        throw error;
      }
    },

    /** SIGTERM to the gateway's group (it drains active work), SIGKILL after stopTimeoutMs. */
    async stop(): Promise<void> {
      const current = child;
      if (!current || exited !== null || current.pid === undefined) return;
      const gone = new Promise<void>((resolve) => {
        if (current.exitCode !== null || current.signalCode !== null) resolve();
        else current.once("exit", () => resolve());
      });
      const kill = (sig: NodeJS.Signals) => {
        try {
          if (process.platform !== "win32") process.kill(-current.pid!, sig);
          else current.kill(sig);
        } catch {
          // Already gone.
        }
      };
      kill("SIGTERM");
      const timer = setTimeout(() => kill("SIGKILL"), options.stopTimeoutMs);
      await gone;
      clearTimeout(timer);
      // Helpers that outlived the gateway (its spawn broker) go with it.
      kill("SIGKILL");
    },

    async close(): Promise<void> {
      await this.stop();
      await new Promise<void>((resolve) => (log ? log.end(() => resolve()) : resolve()));
      log = null;
    },
  };
}

export type GatewaySupervisor = ReturnType<typeof superviseOpenclawGateway>;
