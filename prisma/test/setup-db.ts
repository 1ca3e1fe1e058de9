import { afterAll, beforeEach } from "vitest";
import { db } from "@/lib/server/db";
import { assertDisposableDatabase, truncateAllTables } from "./test-db";

assertDisposableDatabase(process.env.DATABASE_URL);

// Every test starts from empty tables; factories create exactly what a test needs.
beforeEach(async () => {
  await truncateAllTables(db);
});

afterAll(async () => {
  await db.$disconnect();
});
