import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import type { z } from "zod";
import { OperationFailure } from "../../operations/operation-failure";
import { runCommand, type CommandResult } from "../exec/run-command";
import { openclawCliErrorSchema } from "./openclaw-cli-schemas";
import type { OpenclawConfig } from "./openclaw-config-schema";

const QUOTED_CHARS = 1500;

export type OpenclawRun = { timeoutMs: number; signal?: AbortSignal };

function quote(text: string): string {
  const plain = stripVTControlCharacters(text);
  return plain.length > QUOTED_CHARS ? `${plain.slice(0, QUOTED_CHARS)}…` : plain;
}

/** The CLI's own words for a failure: its JSON error message, else the end of stderr, else of stdout. */
export function cliText(result: CommandResult): string {
  const json = parseJson(result.stdout);
  const error = openclawCliErrorSchema.safeParse(json);
  if (error.success) return error.data.error.message;
  const text = stripVTControlCharacters(result.stderr.trim() || result.stdout.trim());
  return text.length > QUOTED_CHARS ? `…${text.slice(-QUOTED_CHARS)}` : text;
}

/** How a run ended, for messages. */
export function describeExit(result: CommandResult): string {
  if (result.spawnError) return `could not start: ${result.spawnError}`;
  if (result.timedOut) return `timed out after ${result.durationMs} ms and was killed`;
  if (result.signal) return `was killed by ${result.signal}`;
  return `exited ${result.exitCode}`;
}

/**
 * The JSON document a --json command printed. OpenClaw prints it alone on stdout; a line of
 * progress before it (some commands print one) is skipped rather than failing the parse.
 */
export function parseJson(stdout: string): unknown {
  const text = stdout.trim();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    const start = text.search(/^[{[]/m);
    if (start <= 0) return undefined;
    try {
      return JSON.parse(text.slice(start));
    } catch {
      return undefined;
    }
  }
}

/**
 * The agent's environment without a test runner's markers. OpenClaw switches to its own test
 * behaviour when it sees them (VITEST, VITEST_POOL_ID, VITEST_WORKER_ID, NODE_ENV=test: a gateway
 * then prints nothing at all), so an agent started by a test must not hand them on.
 */
export function openclawBaseEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key, value]) => !key.startsWith("VITEST") && !(key === "NODE_ENV" && value === "test")),
  ) as NodeJS.ProcessEnv;
}

/**
 * Runs the real `openclaw` CLI (and npm for downgrades) without a shell, with the install's
 * environment: Node 24 first on PATH, the install's HOME/state, the gateway port and token.
 */
export function createOpenclawCli(config: OpenclawConfig) {
  const env: Record<string, string> = {
    ...config.env,
    OPENCLAW_GATEWAY_PORT: String(config.gateway.port),
  };
  if (config.nodeBinDir) env.PATH = `${config.nodeBinDir}${path.delimiter}${config.env.PATH ?? process.env.PATH ?? ""}`;

  function run(argv: readonly string[], options: OpenclawRun): Promise<CommandResult> {
    return runCommand(argv, {
      timeoutMs: options.timeoutMs,
      maxOutputBytes: config.maxOutputBytes,
      env,
      baseEnv: openclawBaseEnv(),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  return {
    env,
    /** `openclaw <args>`. */
    openclaw: (args: readonly string[], options: OpenclawRun) => run([config.openclaw, ...args], options),
    npm: (args: readonly string[], options: OpenclawRun) => run([config.npm, ...args], options),
    /**
     * Parses a --json reply with `schema`. A reply that does not fit is an error quoting the CLI,
     * never a guess; `okExitCodes` lists the exits whose output is still a report (doctor exits 1
     * when it has findings).
     */
    parse<S extends z.ZodType>(result: CommandResult, schema: S, okExitCodes: readonly number[] = [0]): z.infer<S> {
      const command = `${path.basename(result.argv[0] ?? "openclaw")} ${result.argv.slice(1).join(" ")}`;
      if (result.exitCode === null || !okExitCodes.includes(result.exitCode)) {
        throw new OperationFailure(
          result.timedOut ? "command_timeout" : "command_failed",
          `${command} ${describeExit(result)}: ${cliText(result)}`,
        );
      }
      const parsed = schema.safeParse(parseJson(result.stdout));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new OperationFailure(
          "command_failed",
          `${command} printed a reply this driver does not know (${issue ? `${issue.path.join(".") || "reply"}: ${issue.message}` : "schema mismatch"}): ${quote(result.stdout.trim() || result.stderr.trim())}`,
        );
      }
      return parsed.data;
    },
  };
}

export type OpenclawCli = ReturnType<typeof createOpenclawCli>;
