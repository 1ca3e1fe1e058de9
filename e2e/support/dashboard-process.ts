import { E2E_COLLECT_INTERVAL_MS, E2E_TIME_SCALE } from "./e2e-fleet-clock";
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const NEXT_BIN = fileURLToPath(new URL("../../node_modules/next/dist/bin/next", import.meta.url));
const READY_TIMEOUT_MS = 90_000;
const LOG_TAIL_LINES = 60;

export type DashboardProcessOptions = {
  /** Shown in logs and errors, e.g. "A" or "single#2". */
  name: string;
  port: number;
  databaseUrl: string;
  nextAuthSecret: string;
  /** Opens the agent secrets the test process sealed into the database. */
  secretKey: string;
  /** Everything the process prints goes here. */
  logFile: string;
  env?: Record<string, string>;
};

export type DashboardProcess = {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  /** Date.now() when it first answered GET /login with 200. */
  readonly readyAt: number;
  alive(): boolean;
  /** SIGKILL to the whole process group: no shutdown hook, no graceful unlock, like a host crash. */
  kill(): Promise<void>;
  /** True when `pid` belongs to this dashboard's process group (the server or any child of it). */
  ownsPid(pid: number): Promise<boolean>;
  logTail(): string;
};

// A dashboard must never outlive the test run, even when the worker process is torn down.
const running = new Set<number>();
process.once("exit", () => {
  for (const pid of running) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

/**
 * Starts `next start` from the existing `.next` build as its own process group, with its own job
 * worker (instrumentation.ts), and waits until it serves the sign-in page.
 */
export async function startDashboardProcess(options: DashboardProcessOptions): Promise<DashboardProcess> {
  const url = `http://127.0.0.1:${options.port}`;
  // A clean environment: nothing of the runner's DATABASE_URL or worker tuning leaks in, so the
  // heartbeat and dead-worker settings are the defaults the recovery promises are made for.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/tmp",
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    NODE_ENV: "production",
    DATABASE_URL: options.databaseUrl,
    NEXTAUTH_SECRET: options.nextAuthSecret,
    NEXTAUTH_URL: url,
    ROLLBOOK_SECRET_KEY: options.secretKey,
    NEXT_TELEMETRY_DISABLED: "1",
    // The crash world's fleet runs on the e2e clock; the canary judge must read it the same way.
    ROLLBOOK_COLLECT_INTERVAL_MS: String(E2E_COLLECT_INTERVAL_MS),
    ROLLBOOK_ANALYSIS_TIME_SCALE: String(E2E_TIME_SCALE),
    ...options.env,
  };
  const child = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(options.port), "-H", "127.0.0.1"], {
    cwd: REPO_ROOT,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`Dashboard ${options.name} did not start`);
  running.add(pid);

  const log = createWriteStream(options.logFile, { flags: "a" });
  const tail: string[] = [];
  const remember = (chunk: Buffer) => {
    log.write(chunk);
    for (const line of chunk.toString("utf8").split("\n")) {
      if (line.trim() === "") continue;
      tail.push(line);
      if (tail.length > LOG_TAIL_LINES) tail.shift();
    }
  };
  child.stdout.on("data", remember);
  child.stderr.on("data", remember);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exited = true;
      running.delete(pid);
      log.write(`\n[harness] dashboard ${options.name} (pid ${pid}) exited: code ${code} signal ${signal}\n`);
      log.end();
      resolve();
    });
  });
  const logTail = () => tail.join("\n");

  const kill = async () => {
    if (!exited) {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // the group is already gone
      }
    }
    await exit;
  };

  const started = Date.now();
  for (;;) {
    if (exited) throw new Error(`Dashboard ${options.name} exited before it served /login. Its last output:\n${logTail()}`);
    try {
      const response = await fetch(`${url}/login`, { redirect: "manual", signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > READY_TIMEOUT_MS) {
      await kill();
      throw new Error(`Dashboard ${options.name} did not serve /login within ${READY_TIMEOUT_MS / 1000} s. Its last output:\n${logTail()}`);
    }
    await sleep(100);
  }
  const readyAt = Date.now();

  return {
    name: options.name,
    url,
    pid,
    readyAt,
    alive: () => !exited,
    kill,
    async ownsPid(candidate) {
      try {
        // Field 5 of /proc/<pid>/stat is the process group; the comm before it may contain spaces.
        const stat = await readFile(`/proc/${candidate}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return Number(fields[2]) === pid;
      } catch {
        return false;
      }
    },
    logTail,
  };
}
