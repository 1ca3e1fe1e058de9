import { PrismaPg } from "@prisma/adapter-pg";
import { hashPassword } from "@/lib/auth/password";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { createNode } from "@/prisma/factories";
import { DEMO_USERS } from "@/prisma/demo-users";
import { assertDisposableDatabase, truncateAllTables } from "@/prisma/test/test-db";

/** Starts every run from a known database: the demo users and a small fleet. */
export default async function globalSetup() {
  const connectionString = assertDisposableDatabase(process.env.E2E_DATABASE_URL ?? process.env.DATABASE_URL);
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
  try {
    await truncateAllTables(db);
    for (const user of DEMO_USERS) {
      await db.user.create({ data: { email: user.email, name: user.name, role: user.role, passwordHash: await hashPassword(user.password) } });
    }
    await createNode(db, { name: "gw-e2e-canary", role: "canary", region: "eu-west-1", coreVersion: "2026.11.2" });
    await createNode(db, { name: "gw-e2e-stable-1", role: "stable", region: "eu-west-1", coreVersion: "2026.10.4" });
    await createNode(db, { name: "gw-e2e-stable-2", role: "stable", region: "us-east-1", coreVersion: "2026.10.4" });
    await createNode(db, { name: "gw-e2e-witness", role: "witness", region: "ap-southeast-2", coreVersion: "2026.10.4" });
  } finally {
    await db.$disconnect();
  }
}
