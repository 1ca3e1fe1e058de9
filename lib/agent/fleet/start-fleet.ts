import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { fleetFileSchema, type FleetFile, type FleetNode, type Lock } from "@/lib/protocol";
import { createSimDriver, defaultSimLock, type SimDriver } from "../drivers/sim/create-sim-driver";
import { faultsForNode, type SimFaultScript } from "../drivers/sim/sim-fault-script-schema";
import { startAgent, type RunningAgent } from "../start-agent";
import { loadOrCreateSecret } from "../state/load-or-create-secret";
import { planFleetLayout } from "./plan-fleet-layout";

export type StartFleetOptions = {
  count: number;
  /** Each node keeps its state and secret in <stateDir>/<name>/. */
  stateDir: string;
  /** Node i listens on basePort + i; 0 (default) gives every node an ephemeral port. */
  basePort?: number;
  /**
   * When a port of the range is taken, move to the next block of `count` ports (basePort + count,
   * …) instead of failing: a second fleet on the same machine (another checkout's demo) moves up,
   * the way the demo's PostgreSQL and dashboard do. Each block is tried by binding it, so two
   * fleets starting at once cannot both get a port.
   */
  findFreeRange?: boolean;
  host?: string;
  /** Where to write the fleet file; omitted, nothing is written. */
  fleetFile?: string;
  /** Release every new node starts on (existing nodes keep their persisted state). */
  initial?: Lock;
  speed?: number;
  timeScale?: number;
  /** When given, replaces each node's persisted faults. */
  faults?: SimFaultScript;
};

export type FleetMember = FleetNode & { agent: RunningAgent; sim: SimDriver };

export type RunningFleet = {
  nodes: FleetMember[];
  fleet: FleetFile;
  close(): Promise<void>;
};

/** Stable per-node seed, so a node's simulated traits survive even a wiped state dir. */
function seedFor(name: string): number {
  let hash = 2166136261;
  for (const char of name) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return hash & 0x7fffffff;
}

/** Thrown when a fixed fleet port (or every range up to 65535) is taken. */
export class FleetPortInUseError extends Error {
  constructor(
    message: string,
    readonly port: number,
  ) {
    super(message);
    this.name = "FleetPortInUseError";
  }
}

function addressInUse(error: unknown): error is NodeJS.ErrnoException & { port?: number } {
  return (error as NodeJS.ErrnoException | undefined)?.code === "EADDRINUSE";
}

/** Starts every planned node on basePort + i (or ephemeral ports); all or none. */
async function startNodes(
  options: StartFleetOptions,
  layout: ReturnType<typeof planFleetLayout>,
  host: string,
  basePort: number,
): Promise<FleetMember[]> {
  const nodes: FleetMember[] = [];
  try {
    for (const [index, planned] of layout.entries()) {
      const stateDir = path.join(options.stateDir, planned.name);
      const secret = await loadOrCreateSecret(path.join(stateDir, "secret"));
      const faults = options.faults ? faultsForNode(options.faults, planned.name) : undefined;
      const agent = await startAgent({
        name: planned.name,
        secret,
        stateDir,
        host,
        port: basePort ? basePort + index : 0,
        createDriver: () =>
          createSimDriver({
            stateDir,
            initial: options.initial ?? defaultSimLock,
            seed: seedFor(planned.name),
            speed: options.speed ?? 1,
            timeScale: options.timeScale ?? 1,
            ...(faults ? { faults } : {}),
          }),
      });
      nodes.push({ ...planned, url: agent.url, secret, agent, sim: agent.driver as SimDriver });
    }
    return nodes;
  } catch (error) {
    await Promise.allSettled(nodes.map((node) => node.agent.close()));
    throw error;
  }
}

/** Starts `count` simulated agents in this process on loopback and describes them as a fleet file. */
export async function startFleet(options: StartFleetOptions): Promise<RunningFleet> {
  const host = options.host ?? "127.0.0.1";
  const layout = planFleetLayout(options.count);
  const firstBase = options.basePort ?? 0;
  let nodes: FleetMember[] | undefined;
  for (let base = firstBase; !nodes; base += options.count) {
    if (base + options.count - 1 > 65535) {
      throw new FleetPortInUseError(
        `no free range of ${options.count} consecutive ports on ${host} from ${firstBase} up to 65535`,
        firstBase,
      );
    }
    try {
      nodes = await startNodes(options, layout, host, base);
    } catch (error) {
      if (!addressInUse(error) || base === 0) throw error;
      if (!options.findFreeRange) {
        const port = error.port ?? base;
        throw new FleetPortInUseError(
          `fleet port ${host}:${port} is already in use (node ${port - base + 1} of ${options.count} on base port ${base})`,
          port,
        );
      }
    }
  }

  const fleet = fleetFileSchema.parse({
    version: 1,
    nodes: nodes.map(({ name, url, secret, role, region }) => ({ name, url, secret, role, region })),
  });
  if (options.fleetFile) {
    await mkdir(path.dirname(options.fleetFile), { recursive: true });
    const temp = `${options.fleetFile}.${process.pid}.tmp`;
    // It holds every node's secret: owner-only, like the secret files themselves.
    await writeFile(temp, `${JSON.stringify(fleet, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, options.fleetFile);
  }
  return {
    nodes,
    fleet,
    async close() {
      await Promise.allSettled(nodes.map((node) => node.agent.close()));
    },
  };
}
