import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

// One client per process. Next's dev server re-evaluates modules on every edit, so the client is
// parked on globalThis to avoid opening a new pool each time.
const globalForPrisma = globalThis as unknown as { rollbookPrisma?: PrismaClient; rollbookPool?: pg.Pool };

/**
 * The connection pool under Prisma. Also used directly for the few bulk statements whose parameter
 * is megabytes of JSON (the collector's round): handing that through Prisma's raw-query path
 * costs more CPU than Postgres spends on the statement. allowExitOnIdle: scripts (seed, audit
 * check) end when their work does, without having to close the pool themselves.
 */
export function sqlPool(): pg.Pool {
  if (globalForPrisma.rollbookPool) return globalForPrisma.rollbookPool;
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error("DATABASE_URL is not set: start the app with `npm run demo`");
  globalForPrisma.rollbookPool = new pg.Pool({ connectionString, max: 10, allowExitOnIdle: true });
  return globalForPrisma.rollbookPool;
}

function prismaClient(): PrismaClient {
  globalForPrisma.rollbookPrisma ??= new PrismaClient({ adapter: new PrismaPg(sqlPool()) });
  return globalForPrisma.rollbookPrisma;
}

/**
 * The Prisma client, created on first use rather than at import: `next build` imports every route
 * to collect its config, and must not need a database to do so.
 */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const client = prismaClient();
    const value: unknown = Reflect.get(client, property, client);
    return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(client) : value;
  },
});

export type Db = PrismaClient;
export type DbTransaction = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
