import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditCheckpointSigner } from "@/lib/audit/audit-checkpoint";
import { findAuditCheckpoints } from "@/lib/audit/find-audit-checkpoints";
import { truncateAllTables } from "@/prisma/test/test-db";
import { writeAuditCheckpoint } from "./audit/audit-checkpoint-file";
import { auditCheckpointKey } from "./audit/audit-checkpoint-key";
import { currentAuditCheckpoint } from "./audit/current-audit-checkpoint";
import { verifyAuditLog } from "./audit/verify-audit-log";
import { appendAuditEvent, recordAuditEvent, verifyAuditChain } from "./audit-log";
import { db, sqlPool } from "./db";

async function recordEvents(count: number) {
  for (let index = 0; index < count; index += 1) {
    await recordAuditEvent({ kind: "test.event", data: { index } });
  }
}

/**
 * What someone with the database owner's rights can still do: switch the append-only trigger off
 * for one statement. Inside one transaction, so no other test ever sees the trigger disabled.
 */
async function tamperAsOwner(sql: string): Promise<void> {
  const client = await sqlPool().connect();
  try {
    await client.query("BEGIN");
    await client.query('ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"');
    await client.query(sql);
    await client.query('ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_append_only"');
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
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
    expect(result).toMatchObject({ ok: true, checked: 3, firstBreak: null });
  });

  it("detects a row edited in the database by its owner", async () => {
    await recordEvents(5);
    await tamperAsOwner(`UPDATE "AuditEvent" SET "actorEmail" = 'mallory@example.test' WHERE seq = 3`);
    const result = await verifyAuditChain();
    expect(result).toMatchObject({ ok: false, firstBreak: { seq: "3", reason: "hash_mismatch" } });
  });

  it("detects a row deleted from the middle by its owner", async () => {
    await recordEvents(5);
    await tamperAsOwner(`DELETE FROM "AuditEvent" WHERE seq = 2`);
    const result = await verifyAuditChain();
    expect(result.firstBreak).toMatchObject({ seq: "3", reason: "prev_hash_mismatch" });
  });
});

describe("the database keeps the audit table append-only", () => {
  it("refuses UPDATE and DELETE of any row, and leaves the rows as they were", async () => {
    await recordEvents(3);
    const pool = sqlPool();
    await expect(pool.query(`UPDATE "AuditEvent" SET "actorEmail" = 'mallory@example.test' WHERE seq = 2`)).rejects.toThrow(
      'the audit log is append-only: UPDATE on "AuditEvent" is not allowed',
    );
    await expect(pool.query(`DELETE FROM "AuditEvent" WHERE seq = 3`)).rejects.toThrow(
      'the audit log is append-only: DELETE on "AuditEvent" is not allowed',
    );
    await expect(db.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
    await expect(db.auditEvent.updateMany({ data: { kind: "x" } })).rejects.toThrow(/append-only/);
    expect(await db.auditEvent.count()).toBe(3);
    expect(await verifyAuditChain()).toMatchObject({ ok: true, checked: 3 });
  });

  it("refuses TRUNCATE unless a test database turns maintenance on in the transaction", async () => {
    await recordEvents(2);
    await expect(sqlPool().query('TRUNCATE "AuditEvent"')).rejects.toThrow('TRUNCATE on "AuditEvent" is not allowed');
    // Turned on for one transaction only: the next statement on the same connection is refused again.
    const client = await sqlPool().connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT set_config('rollbook.audit_maintenance', 'on', true)");
      await client.query("COMMIT");
      await expect(client.query('TRUNCATE "AuditEvent"')).rejects.toThrow("not allowed");
    } finally {
      client.release();
    }
    expect(await db.auditEvent.count()).toBe(2);
    await truncateAllTables(db);
    expect(await db.auditEvent.count()).toBe(0);
  });
});

describe("signed checkpoints catch rows removed from the end", () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "rollbook-checkpoints-"));
    file = path.join(dir, "audit-checkpoints.jsonl");
    process.env.ROLLBOOK_AUDIT_CHECKPOINT_FILE = file;
  });

  afterEach(async () => {
    delete process.env.ROLLBOOK_AUDIT_CHECKPOINT_FILE;
    await rm(dir, { recursive: true, force: true });
  });

  it("the chain alone verifies after its newest rows are deleted; the last checkpoint reports it", async () => {
    await recordEvents(5);
    const checkpoint = await currentAuditCheckpoint();
    expect(checkpoint).toMatchObject({ sequence: "5", publicKey: auditCheckpointKey().publicKey });
    await expect(verifyAuditChain({ checkpoints: [checkpoint] })).resolves.toMatchObject({
      ok: true,
      checkpoints: { checked: 1, problems: [] },
    });

    await tamperAsOwner('DELETE FROM "AuditEvent" WHERE seq > 3');
    // The hole the review found: what is left is a valid, shorter chain.
    await expect(verifyAuditChain()).resolves.toMatchObject({ ok: true, checked: 3, firstBreak: null });
    const result = await verifyAuditChain({ checkpoints: [checkpoint] });
    expect(result).toMatchObject({ ok: false, firstBreak: null, head: { seq: "3" } });
    expect(result.checkpoints.problems).toEqual([
      {
        reason: "truncated",
        sequence: "5",
        at: checkpoint.at,
        message: `The chain ends at sequence 3 before checkpoint 5 (signed at ${checkpoint.at}): rows were removed.`,
      },
    ]);
  });

  it("catches rows removed and the chain grown again past the checkpoint", async () => {
    await recordEvents(4);
    const checkpoint = await currentAuditCheckpoint();
    await tamperAsOwner('DELETE FROM "AuditEvent" WHERE seq > 2');
    // New events chain on from #2 and take the removed rows' numbers: a valid chain again, longer than before.
    await recordEvents(3);
    await expect(verifyAuditChain()).resolves.toMatchObject({ ok: true, checked: 5 });
    const result = await verifyAuditChain({ checkpoints: [checkpoint] });
    expect(result.checkpoints.problems).toMatchObject([{ reason: "hash_mismatch", sequence: "4" }]);
    expect(result.checkpoints.problems[0]?.message).toMatch(
      /^The row at sequence 4 has hash [0-9a-f]{64}, but checkpoint 4 .* the chain was rewritten\.$/,
    );
  });

  it("refuses a checkpoint with a bad signature or by another key", async () => {
    await recordEvents(2);
    const checkpoint = await currentAuditCheckpoint();
    const foreign = auditCheckpointSigner("not-this-dashboards-secret-0123").sign(checkpoint);
    const result = await verifyAuditChain({ checkpoints: [{ ...checkpoint, sequence: "1" }, foreign] });
    expect(result.ok).toBe(false);
    expect(result.checkpoints.problems.map((problem) => problem.reason)).toEqual(["bad_signature", "untrusted_key"]);
  });

  it("the periodic job writes the head when it moved, and verify reads the file's newest checkpoint", async () => {
    await expect(writeAuditCheckpoint()).resolves.toBe("empty_chain");
    await recordEvents(2);
    await expect(writeAuditCheckpoint()).resolves.toBe("written");
    await expect(writeAuditCheckpoint()).resolves.toBe("unchanged");
    await recordEvents(2);
    await expect(writeAuditCheckpoint()).resolves.toBe("written");
    const lines = findAuditCheckpoints(await readFile(file, "utf8"));
    expect(lines).toMatchObject({ checkpoints: [{ sequence: "2" }, { sequence: "4" }], problems: [] });
    await expect(verifyAuditLog()).resolves.toMatchObject({
      ok: true,
      checkpointFile: { path: file, count: 2, newest: { sequence: "4" }, problems: [] },
      checkpoints: { checked: 1, problems: [] },
    });

    await tamperAsOwner('DELETE FROM "AuditEvent" WHERE seq > 2');
    const result = await verifyAuditLog();
    expect(result).toMatchObject({ ok: false, firstBreak: null });
    expect(result.checkpoints.problems[0]?.message).toMatch(
      /^The chain ends at sequence 2 before checkpoint 4 \(signed at .*\): rows were removed\.$/,
    );
    // The job will not bury the evidence under a checkpoint of the shorter chain.
    await recordEvents(1);
    await expect(writeAuditCheckpoint()).resolves.toBe("refused");
    expect(findAuditCheckpoints(await readFile(file, "utf8")).checkpoints).toHaveLength(2);
  });

  it("fails on a line of the file that is not a signed checkpoint, and takes checkpoints handed in", async () => {
    await recordEvents(3);
    const checkpoint = await currentAuditCheckpoint();
    await writeFile(file, `${JSON.stringify(checkpoint)}\n{"sequence":"9","hash":"forged"}\n`);
    const damaged = await verifyAuditLog();
    expect(damaged).toMatchObject({ ok: false, checkpoints: { problems: [] } });
    expect(damaged.checkpointFile?.problems).toEqual([`${file}: line 2 is not a signed audit checkpoint`]);

    await rm(file);
    await tamperAsOwner('DELETE FROM "AuditEvent" WHERE seq = 3');
    await expect(verifyAuditLog()).resolves.toMatchObject({ ok: true, checkpointFile: { count: 0 } });
    const handedIn = await verifyAuditLog({ checkpoints: [checkpoint] });
    expect(handedIn).toMatchObject({ ok: false, checkpoints: { problems: [{ reason: "truncated", sequence: "3" }] } });
  });
});
