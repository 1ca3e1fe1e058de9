import { spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";

const REPO = path.resolve(import.meta.dirname, "../../..");

export type AgentProcess = {
  child: ChildProcess;
  url: string;
  secret: string;
  /** Everything the agent printed so far (stdout and stderr interleaved). */
  output(): string;
  /** SIGTERM, then waits for the process to exit. */
  stop(): Promise<void>;
  /** SIGKILL (a crash: no shutdown code runs), then waits for the process to exit. */
  kill(): Promise<void>;
};

/**
 * Starts the real agent CLI as a child process on a free port and resolves once it prints its
 * "listening on <url>" line. `node --import tsx`, not the tsx CLI: one process, so a signal sent to
 * `child` reaches the agent itself. The agent writes its generated secret to a file in stateDir.
 */
export async function spawnAgentProcess(options: {
  stateDir: string;
  name: string;
  extraArgs?: string[];
  startTimeoutMs?: number;
}): Promise<AgentProcess> {
  const secretFile = path.join(options.stateDir, "secret");
  const args = ["--port", "0", "--state-dir", options.stateDir, "--secret-file", secretFile, "--name", options.name];
  const child = spawn(process.execPath, ["--import", "tsx", "lib/agent/cli.ts", ...args, ...(options.extraArgs ?? [])], {
    cwd: REPO,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`agent did not start:\n${output}`)), options.startTimeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    // Kept listening after start: tests read what the agent logs later.
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`agent exited ${code}:\n${output}`));
    });
  });
  const exit = (signal: NodeJS.Signals) => async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill(signal);
    await exited;
  };
  const secret = (await readFile(secretFile, "utf8")).trim();
  return {
    child,
    url,
    secret,
    output: () => output,
    stop: exit("SIGTERM"),
    kill: exit("SIGKILL"),
  };
}
