import { describe, expect, it } from "vitest";
import { appendAuditEvent, recordAuditEvent, verifyAuditChain } from "./audit-log";
import { db } from "./db";

async function recordEvents(count: number) {
  for (let index = 0; index < count; index += 1) {
    await recordAuditEvent({ kind: "test.event", data: { index } });
  }
}

describe("audit chain in Postgres", () => {
  it("stays valid under concurrent writers, with sequence numbers in chain order", async () => {
    await Promise.all(Array.from({ length: 20 }, (_, index) => recordAuditEvent({ kind: "test.concurrent", data: { index } })));
    const result = await verifyAuditChain();
    expect(result.firstBreak).toBeNull();
    expect(result.checked).toBe(20);
    expect(result.head?.seq).toBe("20");
  });

  it("rolls the event back with a failed transaction, leaving the chain intact", async () => {
    await recordEvents(2);
    await expect(
      db.$transaction(async (tx) => {
        await appendAuditEvent(tx, { kind: "test.doomed" });
        throw new Error("the change it describes failed");
      }),
    ).rejects.toThrow("failed");
    await recordEvents(1);
    const result = await verifyAuditChain();
    expect(result).toMatchObject({ checked: 3, firstBreak: null });
  });

  it("detects a row edited in the database", async () => {
    await recordEvents(5);
    await db.$executeRaw`UPDATE "AuditEvent" SET "actorEmail" = 'mallory@example.test' WHERE seq = 3`;
    const result = await verifyAuditChain();
    expect(result.firstBreak).toMatchObject({ seq: "3", reason: "hash_mismatch" });
  });

  it("detects a row deleted from the middle", async () => {
    await recordEvents(5);
    await db.$executeRaw`DELETE FROM "AuditEvent" WHERE seq = 2`;
    const result = await verifyAuditChain();
    expect(result.firstBreak).toMatchObject({ seq: "3", reason: "prev_hash_mismatch" });
  });
});
