import { rm } from "node:fs/promises";
import { PrismaPg } from "@prisma/adapter-pg";
import { defaultAuditCheckpointFilePath } from "@/lib/audit/audit-checkpoint-file-path";
import { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * Refuses any database that is not a local, disposable test database: the DB tests truncate every
 * table, so a mistyped DATABASE_URL must not reach a real one.
 */
export function assertDisposableDatabase(connectionString: string | undefined): string {
  if (!connectionString) throw new Error("DATABASE_URL is not set: run the DB tests through `npm test`");
  const url = new URL(connectionString);
  const local = ["127.0.0.1", "localhost", "::1", "[::1]"].includes(url.hostname);
  const name = url.pathname.slice(1);
  if (!local || !/_(test|e2e|bench)$/.test(name)) {
    throw new Error(`Refusing to run destructive tests against ${url.hostname}/${name}: use a local *_test, *_e2e or *_bench database`);
  }
  return connectionString;
}

/**
 * Whether the collector has stored every registered node's samples over at least `spanMs` of wall
 * time: the history a real fleet has before a plan starts, which the canary judge compares hosts on.
 */
export async function everyNodeHasHistory(db: PrismaClient, spanMs: number): Promise<boolean> {
  const [nodes, spans] = await Promise.all([
    db.node.count(),
    db.$queryRaw<{ span: number }[]>`
      SELECT EXTRACT(EPOCH FROM max("at") - min("at")) * 1000 AS span FROM "MetricSample" GROUP BY "nodeId"`,
  ]);
  return spans.length === nodes && spans.every((row) => Number(row.span) >= spanMs);
}

export function createTestPrisma(connectionString: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
}

/** Tables that migrations fill and the application reads as configuration: never emptied. */
const MIGRATION_DATA_TABLES = ["_prisma_migrations", "StatusTransition"];

/**
 * Empties every application table (not Prisma's migration history, nor data the migrations own).
 * The audit table refuses TRUNCATE (it is append-only) except in a *_test, *_e2e or *_bench
 * database inside a transaction that turns rollbook.audit_maintenance on, which is what this does
 * (migration audit_append_only). A fresh chain makes the old checkpoints of this database
 * meaningless, so its default checkpoint file goes too (an explicit ROLLBOOK_AUDIT_CHECKPOINT_FILE
 * is never touched).
 */
export async function truncateAllTables(db: PrismaClient): Promise<void> {
  const tables = await db.$queryRaw<{ tablename: string }[]>`
    SELECT tablename::text AS tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> ALL(${MIGRATION_DATA_TABLES})`;
  if (tables.length === 0) return;
  const list = tables.map(({ tablename }) => `"public"."${tablename.replace(/"/g, '""')}"`).join(", ");
  const [, , [database]] = await db.$transaction([
    db.$executeRaw`SELECT set_config('rollbook.audit_maintenance', 'on', true)`,
    db.$executeRawUnsafe(`TRUNCATE ${list} RESTART IDENTITY CASCADE`),
    db.$queryRaw<{ name: string }[]>`SELECT current_database()::text AS name`,
  ]);
  if (database) await rm(defaultAuditCheckpointFilePath(database.name), { force: true });
}
