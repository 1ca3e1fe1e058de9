import { afterAll, beforeEach } from "vitest";
import { db } from "@/lib/server/db";
import { assertDisposableDatabase, truncateAllTables } from "./test-db";

assertDisposableDatabase(process.env.DATABASE_URL);
// Node agent secrets are stored encrypted; tests use a fixed key of their own.
process.env.ROLLBOOK_SECRET_KEY ??= "test-only-rollbook-secret-key-0123456789";

// Every test starts from empty tables; factories create exactly what a test needs.
beforeEach(async () => {
  await truncateAllTables(db);
});

afterAll(async () => {
  await db.$disconnect();
});
