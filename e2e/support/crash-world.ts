import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { startFleet, type FleetMember, type RunningFleet } from "@/lib/agent/fleet/start-fleet";
import type { SimFaultScript } from "@/lib/agent/drivers/sim/sim-fault-script-schema";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { exampleManifests } from "@/lib/releases";
import { registerFleetNodes, seedDemoUsersAndReleases } from "@/prisma/factories";
import { assertDisposableDatabase, truncateAllTables } from "@/prisma/test/test-db";
import { E2E_TIME_SCALE } from "./e2e-fleet-clock";
import { deleteAllJobs } from "./job-queue-probe";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PRISMA_BIN = fileURLToPath(new URL("../../node_modules/prisma/build/index.js", import.meta.url));

/**
 * The crash tests' own database, beside the e2e one on the same server: the dashboard that
 * Playwright's webServer runs works on the e2e database and would otherwise take these jobs.
 * `rollbook_e2e` → `rollbook_crash_e2e`; E2E_CRASH_DATABASE_URL overrides.
 */
export function crashDatabaseUrl(): string {
  const explicit = process.env.E2E_CRASH_DATABASE_URL;
  if (explicit) return assertDisposableDatabase(explicit);
  const base = assertDisposableDatabase(process.env.E2E_DATABASE_URL ?? process.env.DATABASE_URL);
  const url = new URL(base);
  url.pathname = `/${url.pathname.slice(1).replace(/_e2e$/, "")}_crash_e2e`;
  return assertDisposableDatabase(url.toString());
}

/** Creates the database when missing and applies the migrations (idempotent, a few seconds). */
export async function prepareCrashDatabase(databaseUrl: string): Promise<void> {
  const target = new URL(databaseUrl);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(target);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  await promisify(execFile)(process.execPath, [PRISMA_BIN, "migrate", "deploy"], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
}

export type CrashWorld = {
  db: PrismaClient;
  fleet: RunningFleet;
  fromReleaseId: string;
  toReleaseId: string;
  /** A fleet member and its node id in the database, by name ("node-01"). */
  node(name: string): FleetMember & { id: string };
  close(): Promise<void>;
};

/**
 * A known world on the crash database: empty tables, no queued jobs, the demo users, the stable
 * release and its successor, and `fleetSize` simulated agents in this process, registered as nodes.
 * Only call it while no dashboard runs on that database.
 */
export async function startCrashWorld(options: {
  databaseUrl: string;
  fleetSize: number;
  speed: number;
  faults?: SimFaultScript;
}): Promise<CrashWorld> {
  if (!process.env.ROLLBOOK_SECRET_KEY) throw new Error("ROLLBOOK_SECRET_KEY is not set (playwright.config.ts sets it)");
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: assertDisposableDatabase(options.databaseUrl) }) });
  const stateDir = await mkdtemp(path.join(os.tmpdir(), "rollbook-crash-fleet-"));
  let fleet: RunningFleet | undefined;
  try {
    await truncateAllTables(db);
    await deleteAllJobs(db);
    const { releaseIds } = await seedDemoUsersAndReleases(db);
    const fromReleaseId = releaseIds.get(exampleManifests.stable.name)!;
    const toReleaseId = releaseIds.get(exampleManifests.successor.name)!;
    fleet = await startFleet({
      count: options.fleetSize,
      timeScale: E2E_TIME_SCALE,
      stateDir,
      speed: options.speed,
      ...(options.faults ? { faults: options.faults } : {}),
    });
    const registered = await registerFleetNodes(db, fleet);
    const ids = new Map(registered.map((node) => [node.name, node.id]));
    const running = fleet;
    return {
      db,
      fleet: running,
      fromReleaseId,
      toReleaseId,
      node(name) {
        const member = running.nodes.find((candidate) => candidate.name === name);
        const id = ids.get(name);
        if (!member || !id) throw new Error(`No fleet node ${name}`);
        return { ...member, id };
      },
      async close() {
        await running.close();
        await db.$disconnect();
        await rm(stateDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await fleet?.close();
    await db.$disconnect();
    await rm(stateDir, { recursive: true, force: true });
    throw error;
  }
}
