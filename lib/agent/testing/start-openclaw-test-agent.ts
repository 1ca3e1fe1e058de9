import { randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { createAgentClient, generateAgentSecret } from "@/lib/protocol";
import { openclawBaseEnv } from "../drivers/openclaw/create-openclaw-cli";
import { createOpenclawDriver } from "../drivers/openclaw/create-openclaw-driver";
import { openclawConfigSchema, type OpenclawConfig } from "../drivers/openclaw/openclaw-config-schema";
import { runCommand, type CommandResult } from "../drivers/exec/run-command";
import { startAgent, type RunningAgent } from "../start-agent";

export type OpenclawTestAgentOptions = {
  name?: string;
  secret?: string;
  /** Overrides of the driver config (the CLI, Node, HOME, token and supervised port are set here). */
  config?: Partial<Omit<OpenclawConfig, "openclaw" | "nodeBinDir">>;
};

/** Where scripts/lib/openclaw.sh put Node 24 and openclaw 2026.9.5; a clear error when it has not run. */
export function openclawTestInstall(): { nodeBin: string; prefix: string } {
  const nodeBin = process.env.ROLLBOOK_OPENCLAW_NODE_BIN;
  const prefix = process.env.ROLLBOOK_OPENCLAW_PREFIX;
  if (!nodeBin || !prefix) {
    throw new Error(
      "ROLLBOOK_OPENCLAW_NODE_BIN and ROLLBOOK_OPENCLAW_PREFIX are not set. `npm test` installs OpenClaw itself; " +
        'to run these tests alone: npm run test:real (or: eval "$(bash scripts/install-openclaw.sh)" before vitest)',
    );
  }
  return { nodeBin, prefix };
}

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

/**
 * A real agent over the openclaw driver and a real OpenClaw, for tests: a copy of the install
 * (~1 s for 580 MB, so upgrading it leaves the cached one at its version) with a scratch HOME and
 * `gateway.mode local`, and a gateway the agent supervises on a free loopback port. `openclaw(...)`
 * runs the same CLI the way the driver does, to compare what the agent reports with OpenClaw's own
 * answer. `close()` stops the agent (and so the gateway) and removes everything.
 */
export async function startOpenclawTestAgent(options: OpenclawTestAgentOptions = {}) {
  const install = openclawTestInstall();
  const dir = await mkdtemp(path.join(os.tmpdir(), "rollbook-openclaw-"));
  const home = path.join(dir, "home");
  const prefix = path.join(dir, "prefix");
  const stateDir = path.join(dir, "agent");
  const port = await freePort();
  const token = randomBytes(24).toString("hex");
  const env = {
    PATH: `${install.nodeBin}${path.delimiter}${process.env.PATH ?? ""}`,
    HOME: home,
    OPENCLAW_NO_AUTO_UPDATE: "1",
    OPENCLAW_GATEWAY_TOKEN: token,
    OPENCLAW_GATEWAY_PORT: String(port),
  };
  const openclaw = (...args: string[]): Promise<CommandResult> =>
    runCommand([path.join(prefix, "bin", "openclaw"), ...args], {
      timeoutMs: 60_000,
      maxOutputBytes: 4 << 20,
      env,
      baseEnv: openclawBaseEnv(),
    });

  let agent: RunningAgent | undefined;
  try {
    await mkdir(home);
    await cp(install.prefix, prefix, { recursive: true, verbatimSymlinks: true });
    // The operator's part of a local gateway: OpenClaw refuses to start one without a mode.
    const mode = await openclaw("config", "set", "gateway.mode", "local");
    if (mode.exitCode !== 0) throw new Error(`openclaw config set gateway.mode local failed: ${mode.stderr || mode.stdout}`);
    const secret = options.secret ?? generateAgentSecret();
    const config = openclawConfigSchema.parse({
      ...options.config,
      openclaw: path.join(prefix, "bin", "openclaw"),
      nodeBinDir: install.nodeBin,
      env: { ...options.config?.env, HOME: home, OPENCLAW_GATEWAY_TOKEN: token },
      gateway: { readyTimeoutMs: 120_000, ...options.config?.gateway, supervise: true, port },
    });
    agent = await startAgent({
      name: options.name ?? "openclaw-node",
      secret,
      stateDir,
      port: 0,
      createDriver: () => createOpenclawDriver({ stateDir, config }),
    });
    const running = agent;
    return {
      agent: running,
      url: running.url,
      secret,
      client: createAgentClient({ url: running.url, secret, timeoutMs: 60_000 }),
      /** The gateway's loopback port. */
      port,
      home,
      openclaw,
      async close() {
        await running.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await agent?.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

export type OpenclawTestAgent = Awaited<ReturnType<typeof startOpenclawTestAgent>>;
