// `npm run agent -- --port 9099 --driver sim|exec|openclaw --state-dir DIR --secret-file F --name N ...`
// Every flag can also come from ROLLBOOK_AGENT_<FLAG> (e.g. ROLLBOOK_AGENT_STATE_DIR); flags win.
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { createExecDriver } from "./drivers/exec/create-exec-driver";
import { execConfigSchema } from "./drivers/exec/exec-config-schema";
import { createOpenclawDriver } from "./drivers/openclaw/create-openclaw-driver";
import { openclawConfigSchema } from "./drivers/openclaw/openclaw-config-schema";
import { createSimDriver, defaultSimLock } from "./drivers/sim/create-sim-driver";
import { faultsForNode, simFaultScriptSchema } from "./drivers/sim/sim-fault-script-schema";
import { loadConfigFile } from "./load-config-file";
import { parseCliArgs } from "./parse-cli-args";
import { parseInitialLock } from "./parse-initial-lock";
import { startAgent } from "./start-agent";
import { loadOrCreateSecret } from "./state/load-or-create-secret";

const FLAGS = [
  "port",
  "host",
  "driver",
  "state-dir",
  "secret-file",
  "name",
  "speed",
  "time-scale",
  "seed",
  "initial-core",
  "initial-plugins",
  "faults-file",
  "exec-config",
  "openclaw-config",
  "memory-limit-bytes",
] as const;

const optionsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(9099),
  host: z.string().min(1).default("127.0.0.1"),
  driver: z.enum(["sim", "exec", "openclaw"]).default("sim"),
  "state-dir": z.string().min(1).default(".data/agent"),
  "secret-file": z.string().min(1).optional(),
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
    .default(
      os
        .hostname()
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, "-")
        .slice(0, 63) || "agent",
    ),
  speed: z.coerce.number().positive().default(1),
  "time-scale": z.coerce.number().positive().default(1),
  seed: z.coerce.number().int().optional(),
  "initial-core": z.string().optional(),
  "initial-plugins": z.string().optional(),
  "faults-file": z.string().optional(),
  "exec-config": z.string().optional(),
  "openclaw-config": z.string().optional(),
  "memory-limit-bytes": z.coerce.number().positive().optional(),
});

const USAGE = `usage: npm run agent -- [--port 9099] [--host 127.0.0.1] [--driver sim|exec|openclaw] [--state-dir .data/agent]
  [--secret-file <state-dir>/secret] [--name NAME]
  sim:  [--speed 1] [--time-scale 1] [--seed N] [--initial-core 2026.11.2]
        [--initial-plugins name@version,...] [--faults-file faults.yaml] [--memory-limit-bytes N]
  exec: --exec-config exec.yaml              (a generic template driver: your commands)
  openclaw: [--openclaw-config openclaw.yaml]   (a real OpenClaw install; docs/agent.md)
Every flag may also be set as ROLLBOOK_AGENT_<FLAG>, e.g. ROLLBOOK_AGENT_STATE_DIR.`;

async function main(): Promise<void> {
  if (process.argv.includes("--help") || process.argv.includes("-h")) {
    console.log(USAGE);
    return;
  }
  const options = optionsSchema.parse(parseCliArgs(process.argv.slice(2), process.env, { flags: FLAGS, envPrefix: "ROLLBOOK_AGENT_" }));
  const stateDir = path.resolve(options["state-dir"]);
  const secret = await loadOrCreateSecret(options["secret-file"] ?? path.join(stateDir, "secret"));

  const agent = await startAgent({
    name: options.name,
    secret,
    stateDir,
    host: options.host,
    port: options.port,
    createDriver: async () => {
      if (options.driver === "openclaw") {
        const config = options["openclaw-config"]
          ? await loadConfigFile(options["openclaw-config"], openclawConfigSchema)
          : openclawConfigSchema.parse({});
        return createOpenclawDriver({ stateDir, config });
      }
      if (options.driver === "exec") {
        // A generic template driver has nothing to run until the operator says what to run.
        if (!options["exec-config"]) throw new Error('--driver exec needs --exec-config FILE (its commands; docs/agent.md, "exec")');
        const config = await loadConfigFile(options["exec-config"], execConfigSchema);
        return createExecDriver({ stateDir, config });
      }
      const script = options["faults-file"] ? await loadConfigFile(options["faults-file"], simFaultScriptSchema) : null;
      return createSimDriver({
        stateDir,
        initial: parseInitialLock(options["initial-core"], options["initial-plugins"], defaultSimLock),
        speed: options.speed,
        timeScale: options["time-scale"],
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        ...(script ? { faults: faultsForNode(script, options.name) } : {}),
        ...(options["memory-limit-bytes"] ? { memoryLimitBytes: options["memory-limit-bytes"] } : {}),
      });
    },
  });
  console.log(`rollbook agent "${agent.name}" listening on ${agent.url} (driver ${options.driver}, state ${stateDir}, pid ${process.pid})`);

  const stop = (signal: string) => {
    console.log(`rollbook agent "${agent.name}" stopping on ${signal}`);
    void agent.close().then(() => process.exit(0));
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error instanceof z.ZodError ? `invalid options: ${z.prettifyError(error)}\n\n${USAGE}` : error);
  process.exit(1);
});
