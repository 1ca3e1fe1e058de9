/**
 * Test data factories shared by the DB tests and the end-to-end setup. Each call makes unique
 * names, so tests never collide on unique columns.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { hashPassword } from "@/lib/auth/password";
import type { Role } from "@/lib/auth/roles";
import type { NodeRole, PrismaClient } from "@/lib/generated/prisma/client";
import { exampleManifests, releaseManifestSha256 } from "@/lib/releases";
import { sealAgentSecret } from "@/lib/security/agent-secrets";
import { DEMO_USERS } from "./demo-users";

function uniqueSuffix(): string {
  return randomUUID().slice(0, 8);
}

export async function createUser(db: PrismaClient, overrides: { email?: string; name?: string; role?: Role; password?: string } = {}) {
  const suffix = uniqueSuffix();
  const password = overrides.password ?? `pw-${suffix}`;
  const user = await db.user.create({
    data: {
      email: overrides.email ?? `user-${suffix}@example.test`,
      name: overrides.name ?? `User ${suffix}`,
      role: overrides.role ?? "viewer",
      passwordHash: await hashPassword(password),
    },
  });
  return { ...user, password };
}

export function agentSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

export async function createNode(
  db: PrismaClient,
  overrides: {
    name?: string;
    agentUrl?: string;
    agentSecret?: string;
    role?: NodeRole;
    region?: string;
    coreVersion?: string | null;
    lbWeight?: number;
  } = {},
) {
  return db.node.create({
    data: {
      name: overrides.name ?? `gw-${uniqueSuffix()}`,
      agentUrl: overrides.agentUrl ?? "http://127.0.0.1:9",
      agentSecret: sealAgentSecret(overrides.agentSecret ?? agentSecret()),
      role: overrides.role ?? "stable",
      region: overrides.region ?? "eu-west-1",
      coreVersion: overrides.coreVersion === undefined ? "2026.11.2" : overrides.coreVersion,
      lbWeight: overrides.lbWeight ?? 100,
    },
  });
}

/**
 * Registers the agents of a running fleet (from `startFleet`) as nodes, the way the demo seed
 * imports a fleet file, and returns them in fleet order.
 */
export async function registerFleetNodes(
  db: PrismaClient,
  fleet: { nodes: ReadonlyArray<{ name: string; url: string; secret: string; role: NodeRole; region: string }> },
  overrides: { coreVersion?: string | null; lbWeight?: number } = {},
) {
  const nodes = [];
  for (const member of fleet.nodes) {
    nodes.push(
      await db.node.create({
        data: {
          name: member.name,
          agentUrl: member.url,
          agentSecret: sealAgentSecret(member.secret),
          role: member.role,
          region: member.region,
          coreVersion: overrides.coreVersion === undefined ? "2026.11.2" : overrides.coreVersion,
          lbWeight: overrides.lbWeight ?? 100,
        },
      }),
    );
  }
  return nodes;
}

/**
 * The demo's people and the example releases (stable, successor, leaky), as the end-to-end worlds
 * start from. Returns the releases' ids by manifest name.
 */
export async function seedDemoUsersAndReleases(db: PrismaClient): Promise<{ releaseIds: Map<string, string> }> {
  const users = [];
  for (const user of DEMO_USERS) {
    users.push(
      await db.user.create({
        data: { email: user.email, name: user.name, role: user.role, passwordHash: await hashPassword(user.password) },
      }),
    );
  }
  const admin = users.find((user) => user.role === "admin");
  if (!admin) throw new Error("The demo users include no admin");
  const releaseIds = new Map<string, string>();
  for (const manifest of [exampleManifests.stable, exampleManifests.successor, exampleManifests.leaky]) {
    const release = await db.release.create({
      data: {
        name: manifest.name,
        manifest,
        manifestSha256: releaseManifestSha256(manifest),
        coreVersion: manifest.core,
        replacesId: manifest.replaces ? (releaseIds.get(manifest.replaces) ?? null) : null,
        createdById: admin.id,
      },
    });
    releaseIds.set(release.name, release.id);
  }
  return { releaseIds };
}
