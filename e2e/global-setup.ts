import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { startFleet } from "@/lib/agent/fleet/start-fleet";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { registerFleetNodes, seedDemoUsersAndReleases } from "@/prisma/factories";
import { assertDisposableDatabase, truncateAllTables } from "@/prisma/test/test-db";
import { E2E_TIME_SCALE } from "./support/e2e-fleet-clock";

/**
 * Starts every run from a known world: the demo users, the example releases, and a live fleet of
 * four simulated node agents (canary, two stables, a witness) that the dashboard calls over HTTP.
 * The fleet lives in this runner process until the returned teardown runs.
 */
export default async function globalSetup() {
  const connectionString = assertDisposableDatabase(process.env.E2E_DATABASE_URL ?? process.env.DATABASE_URL);
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
  const stateDir = await mkdtemp(path.join(os.tmpdir(), "rollbook-e2e-fleet-"));
  // The leaky release's "4 h" climb takes two real minutes: slow enough for the canary judge to
  // see it coming well before 50 % memory, fast enough for a test (e2e/support/e2e-fleet-clock.ts).
  const fleet = await startFleet({
    count: 4,
    stateDir,
    speed: 20,
    timeScale: E2E_TIME_SCALE,
    faults: { faults: { "2026.11.4": { memoryLeak: { fromBytes: 2e9, toBytes: 8e9, overMs: 4 * 3600 * 1000 } } }, nodes: {} },
  });
  try {
    await truncateAllTables(db);
    // Queued jobs are left alone: the dashboard under test is already running, and its collector
    // job (which reschedules itself) must survive; jobs of earlier runs find their rows gone and stop.
    await seedDemoUsersAndReleases(db);
    await registerFleetNodes(db, fleet);
  } finally {
    await db.$disconnect();
  }
  return async () => {
    await fleet.close();
    await rm(stateDir, { recursive: true, force: true });
  };
}
