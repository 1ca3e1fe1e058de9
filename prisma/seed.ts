/**
 * Seeds the demo: one user per role, the example releases and, when ROLLBOOK_FLEET_FILE names a
 * fleet file written by `npm run fleet`, the simulated nodes. Safe to run again: users are created only when missing
 * (a changed password or role is kept), nodes are matched by name and only their connection
 * details follow the fleet file. Runs with tsx's `react-server` condition (prisma.config.ts) so
 * it can use the server services, which are marked "server-only".
 */
import { readFile } from "node:fs/promises";
import { hashPassword } from "@/lib/auth/password";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { fleetFileSchema } from "@/lib/protocol";
import { exampleManifests } from "@/lib/releases";
import { sealAgentSecret } from "@/lib/security/agent-secrets";
import { db } from "@/lib/server/db";
import { createRelease } from "@/lib/server/releases";
import { syncNodesFromAgents } from "@/lib/server/sync-nodes-from-agents";
import { DEMO_USERS } from "./demo-users";

async function seedUsers(db: PrismaClient): Promise<number> {
  let created = 0;
  for (const user of DEMO_USERS) {
    const existing = await db.user.findUnique({ where: { email: user.email }, select: { id: true } });
    if (existing) continue;
    await db.user.create({
      data: { email: user.email, name: user.name, role: user.role, passwordHash: await hashPassword(user.password) },
    });
    created += 1;
  }
  return created;
}

async function seedFleet(db: PrismaClient, fleetFilePath: string): Promise<number> {
  const fleet = fleetFileSchema.parse(JSON.parse(await readFile(fleetFilePath, "utf8")));
  for (const node of fleet.nodes) {
    const connection = { agentUrl: node.url, agentSecret: sealAgentSecret(node.secret), role: node.role, region: node.region };
    await db.node.upsert({ where: { name: node.name }, create: { name: node.name, ...connection }, update: connection });
  }
  return fleet.nodes.length;
}

/** The example releases (stable, its successor, and the leaky one the demo fleet's faults target). */
async function seedReleases(db: PrismaClient): Promise<number> {
  const admin = await db.user.findUniqueOrThrow({
    where: { email: "admin@rollbook.local" },
    select: { id: true, email: true, name: true, role: true },
  });
  let created = 0;
  for (const manifest of [exampleManifests.stable, exampleManifests.successor, exampleManifests.leaky]) {
    if (await db.release.findUnique({ where: { name: manifest.name }, select: { id: true } })) continue;
    await createRelease({ actor: admin, source: { manifest } });
    created += 1;
  }
  return created;
}

async function main() {
  try {
    const users = await seedUsers(db);
    console.log(`Seed: ${users} demo user(s) created, ${DEMO_USERS.length - users} already present.`);
    console.log(`Seed: ${await seedReleases(db)} example release(s) created.`);
    const fleetFile = process.env.ROLLBOOK_FLEET_FILE;
    if (fleetFile) {
      console.log(`Seed: ${await seedFleet(db, fleetFile)} node(s) imported from ${fleetFile}.`);
      const sync = await syncNodesFromAgents();
      console.log(`Seed: ${sync.synced.length} node(s) reported their version over HTTP, ${sync.failed.length} did not.`);
      for (const failure of sync.failed) console.log(`Seed:   ${failure.name}: ${failure.code} ${failure.message}`);
    }
  } finally {
    await db.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
