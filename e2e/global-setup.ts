import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { startFleet } from "@/lib/agent/fleet/start-fleet";
import { hashPassword } from "@/lib/auth/password";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { exampleManifests, releaseManifestSha256 } from "@/lib/releases";
import { DEMO_USERS } from "@/prisma/demo-users";
import { registerFleetNodes } from "@/prisma/factories";
import { assertDisposableDatabase, truncateAllTables } from "@/prisma/test/test-db";

/**
 * Starts every run from a known world: the demo users, the example releases, and a live fleet of
 * four simulated node agents (canary, two stables, a witness) that the dashboard calls over HTTP.
 * The fleet lives in this runner process until the returned teardown runs.
 */
export default async function globalSetup() {
  const connectionString = assertDisposableDatabase(process.env.E2E_DATABASE_URL ?? process.env.DATABASE_URL);
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
  const stateDir = await mkdtemp(path.join(os.tmpdir(), "rollbook-e2e-fleet-"));
  // timeScale 2880 turns the leaky release's "4 h" climb into ~5 s, so its guardrail trips in a test.
  const fleet = await startFleet({
    count: 4,
    stateDir,
    speed: 20,
    timeScale: 2880,
    faults: { faults: { "2026.11.4": { memoryLeak: { fromBytes: 2e9, toBytes: 8e9, overMs: 4 * 3600 * 1000 } } }, nodes: {} },
  });
  try {
    await truncateAllTables(db);
    // Queued jobs are left alone: the dashboard under test is already running, and its collector
    // job (which reschedules itself) must survive; jobs of earlier runs find their rows gone and stop.
    const users = [];
    for (const user of DEMO_USERS) {
      users.push(
        await db.user.create({
          data: { email: user.email, name: user.name, role: user.role, passwordHash: await hashPassword(user.password) },
        }),
      );
    }
    const admin = users.find((user) => user.role === "admin")!;
    const ids = new Map<string, string>();
    for (const manifest of [exampleManifests.stable, exampleManifests.successor, exampleManifests.leaky]) {
      const release = await db.release.create({
        data: {
          name: manifest.name,
          manifest,
          manifestSha256: releaseManifestSha256(manifest),
          coreVersion: manifest.core,
          replacesId: manifest.replaces ? (ids.get(manifest.replaces) ?? null) : null,
          createdById: admin.id,
        },
      });
      ids.set(release.name, release.id);
    }
    await registerFleetNodes(db, fleet);
  } finally {
    await db.$disconnect();
  }
  return async () => {
    await fleet.close();
    await rm(stateDir, { recursive: true, force: true });
  };
}
