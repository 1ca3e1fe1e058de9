// `npm run fleet -- --count 12 --base-port 9101 --state-dir .data/fleet --fleet-file .data/fleet/fleet.json`
// Every flag can also come from ROLLBOOK_FLEET_<FLAG>; flags win. Runs until SIGINT/SIGTERM.
// `--base-port auto` (what `npm run demo` uses) takes 9101+ or, when any of those ports is taken,
// the next free block above; `--base-port 0` gives every agent a port the OS picks.
import path from "node:path";
import { z } from "zod";
import { defaultSimLock } from "./drivers/sim/create-sim-driver";
import { simFaultScriptSchema } from "./drivers/sim/sim-fault-script-schema";
import { FleetPortInUseError, startFleet } from "./fleet/start-fleet";
import { loadConfigFile } from "./load-config-file";
import { parseCliArgs } from "./parse-cli-args";
import { parseInitialLock } from "./parse-initial-lock";

const FLAGS = [
  "count",
  "base-port",
  "host",
  "state-dir",
  "fleet-file",
  "speed",
  "time-scale",
  "initial-core",
  "initial-plugins",
  "faults-file",
] as const;

const DEFAULT_BASE_PORT = 9101;

const optionsSchema = z.object({
  count: z.coerce.number().int().min(1).max(200).default(12),
  "base-port": z
    .union([z.literal("auto"), z.coerce.number().int().min(0).max(65535)], { error: 'expected a port (0-65535) or "auto"' })
    .default(DEFAULT_BASE_PORT),
  host: z.string().min(1).default("127.0.0.1"),
  "state-dir": z.string().min(1).default(".data/fleet"),
  "fleet-file": z.string().min(1).optional(),
  speed: z.coerce.number().positive().default(1),
  "time-scale": z.coerce.number().positive().default(1),
  "initial-core": z.string().optional(),
  "initial-plugins": z.string().optional(),
  "faults-file": z.string().optional(),
});

const USAGE = `usage: npm run fleet -- [--count 12] [--base-port 9101|auto|0] [--host 127.0.0.1] [--state-dir .data/fleet]
  [--fleet-file <state-dir>/fleet.json] [--speed 1] [--time-scale 1] [--initial-core 2026.11.2]
  [--initial-plugins name@version,...] [--faults-file faults.yaml]
--base-port N: node i listens on N + i, and a taken port is an error; auto: 9101 + i, or the next
free block of --count ports above it; 0: ports the OS picks. The fleet file records the real URLs.
Every flag may also be set as ROLLBOOK_FLEET_<FLAG>, e.g. ROLLBOOK_FLEET_COUNT.`;

async function main(): Promise<void> {
  if (process.argv.includes("--help") || process.argv.includes("-h")) {
    console.log(USAGE);
    return;
  }
  const options = optionsSchema.parse(parseCliArgs(process.argv.slice(2), process.env, { flags: FLAGS, envPrefix: "ROLLBOOK_FLEET_" }));
  const stateDir = path.resolve(options["state-dir"]);
  const fleetFile = path.resolve(options["fleet-file"] ?? path.join(stateDir, "fleet.json"));
  const fleet = await startFleet({
    count: options.count,
    stateDir,
    basePort: options["base-port"] === "auto" ? DEFAULT_BASE_PORT : options["base-port"],
    findFreeRange: options["base-port"] === "auto",
    host: options.host,
    fleetFile,
    initial: parseInitialLock(options["initial-core"], options["initial-plugins"], defaultSimLock),
    speed: options.speed,
    timeScale: options["time-scale"],
    ...(options["faults-file"] ? { faults: await loadConfigFile(options["faults-file"], simFaultScriptSchema) } : {}),
  });
  for (const node of fleet.nodes) {
    const core = node.sim.readState().installed.core;
    console.log(`${node.name.padEnd(8)} ${node.role.padEnd(8)} ${node.region.padEnd(15)} ${node.url}  core ${core}`);
  }
  console.log(
    `fleet of ${fleet.nodes.length} agents running on ${describePorts(fleet.nodes.map((node) => node.agent.port))}; fleet file ${fleetFile}`,
  );

  const stop = (signal: string) => {
    console.log(`fleet stopping on ${signal}`);
    void fleet.close().then(() => process.exit(0));
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

/** "ports 9101-9112" for a consecutive block, else the list. */
function describePorts(ports: number[]): string {
  const sorted = [...ports].sort((a, b) => a - b);
  const first = sorted[0];
  const last = sorted.at(-1);
  if (first === undefined || last === undefined) return "no ports";
  if (sorted.length === 1) return `port ${first}`;
  return last - first === sorted.length - 1 ? `ports ${first}-${last}` : `ports ${sorted.join(", ")}`;
}

main().catch((error: unknown) => {
  if (error instanceof z.ZodError) console.error(`invalid options: ${z.prettifyError(error)}\n\n${USAGE}`);
  else if (error instanceof FleetPortInUseError)
    console.error(`${error.message}: choose another --base-port, or --base-port auto to take the next free block`);
  else console.error(error);
  process.exit(1);
});
