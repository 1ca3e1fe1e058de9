import { spawn } from "node:child_process";

export type CommandResult = {
  argv: string[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Output beyond maxOutputBytes was dropped. */
  truncated: boolean;
  timedOut: boolean;
  /** Set when the process could not be started at all (ENOENT, EACCES). */
  spawnError: string | null;
  durationMs: number;
};

export type RunCommandOptions = {
  timeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
  env?: Record<string, string>;
  /** The environment `env` is merged over; the agent's own by default. */
  baseEnv?: NodeJS.ProcessEnv;
};

/**
 * Runs argv without a shell, with a hard timeout (SIGKILL: an installer stuck on a lock will not
 * honour anything gentler) and bounded output capture. Hand-written rather than execFile because
 * execFile kills the child when output exceeds maxBuffer; here a chatty installer keeps running
 * and only its log is cut. Aborting `signal` (operation cancelled, agent stopping) kills it the
 * same way. The child leads its own process group and the whole group is killed: `npm install`
 * runs its work in grandchildren, which would otherwise live on and keep our pipes open.
 */
export function runCommand(argv: readonly string[], options: RunCommandOptions): Promise<CommandResult> {
  const [file, ...args] = argv;
  const started = Date.now();
  return new Promise((resolve) => {
    if (!file) {
      resolve({
        argv: [...argv],
        exitCode: null,
        signal: null,
        stdout: "",
        stderr: "",
        truncated: false,
        timedOut: false,
        spawnError: "empty command",
        durationMs: 0,
      });
      return;
    }
    if (options.signal?.aborted) {
      resolve({
        argv: [...argv],
        exitCode: null,
        signal: null,
        stdout: "",
        stderr: "",
        truncated: false,
        timedOut: false,
        spawnError: "aborted before it started",
        durationMs: 0,
      });
      return;
    }
    const child = spawn(file, args, {
      shell: false,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...(options.baseEnv ?? process.env), ...options.env },
      windowsHide: true,
      detached: process.platform !== "win32",
    });
    const streams = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    const sizes = { stdout: 0, stderr: 0 };
    let truncated = false;
    let timedOut = false;
    let spawnError: string | null = null;

    const capture = (stream: "stdout" | "stderr") => (chunk: Buffer) => {
      const room = options.maxOutputBytes - sizes[stream];
      if (room <= 0) {
        truncated = true;
        return;
      }
      const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
      if (kept.length < chunk.length) truncated = true;
      streams[stream].push(kept);
      sizes[stream] += kept.length;
    };
    child.stdout.on("data", capture("stdout"));
    child.stderr.on("data", capture("stderr"));

    const kill = () => {
      try {
        if (child.pid !== undefined && process.platform !== "win32") process.kill(-child.pid, "SIGKILL");
        else child.kill("SIGKILL");
      } catch {
        // The group is already gone.
        child.kill("SIGKILL");
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    options.signal?.addEventListener("abort", kill, { once: true });

    child.on("error", (error) => {
      spawnError = error.message;
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", kill);
      resolve({
        argv: [...argv],
        exitCode: spawnError ? null : exitCode,
        signal,
        stdout: Buffer.concat(streams.stdout).toString("utf8"),
        stderr: Buffer.concat(streams.stderr).toString("utf8"),
        truncated,
        timedOut,
        spawnError,
        durationMs: Date.now() - started,
      });
    });
  });
}
