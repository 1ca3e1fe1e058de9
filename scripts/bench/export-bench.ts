// Export throughput (events/s) for 100,000 audit events, against a plain SELECT of the same rows
// in the same run: what streaming, describing, quoting and neutralising cost on top of reading.
import pg from "pg";
import { auditHash, GENESIS_HASH } from "@/lib/audit/audit-hash";
import { exportEventsCsv, exportEventsJson, exportPostmortemMarkdown } from "@/lib/exports";
import { auditEventsInOrder } from "@/lib/server/audit-log";
import { db } from "@/lib/server/db";
import { assertDisposableDatabase, truncateAllTables } from "@/prisma/test/test-db";
import type { BenchResult } from "../bench";

const EVENT_COUNT = 100_000;
const KINDS = ["agent.call", "agent.reply", "step.succeeded", "gate.passed", "bookmark.captured"] as const;

/** Writes a valid hash chain of synthetic rollout events in batches. */
async function seedChain(): Promise<void> {
  let prevHash = GENESIS_HASH;
  const start = Date.UTC(2026, 10, 20);
  for (let offset = 0; offset < EVENT_COUNT; offset += 5_000) {
    const rows = [];
    for (let index = offset; index < Math.min(EVENT_COUNT, offset + 5_000); index += 1) {
      const content = {
        seq: String(index + 1),
        at: new Date(start + index * 1_000).toISOString(),
        actorId: null,
        actorEmail: index % 50 === 0 ? "approver@rollbook.local" : null,
        kind: KINDS[index % KINDS.length]!,
        nodeId: null,
        planId: "bench-plan",
        data: { node: `node-${index % 100}`, action: "restart", durationMs: index % 997, requestId: `step-${index}` },
      };
      const hash = auditHash(prevHash, content);
      rows.push({ ...content, seq: BigInt(content.seq), at: new Date(content.at), prevHash, hash });
      prevHash = hash;
    }
    await db.auditEvent.createMany({ data: rows });
  }
}

async function drain(chunks: AsyncIterable<string>): Promise<number> {
  let bytes = 0;
  for await (const chunk of chunks) bytes += chunk.length;
  return bytes;
}

export async function runExportBench(): Promise<BenchResult[]> {
  const connectionString = assertDisposableDatabase(process.env.DATABASE_URL);
  await truncateAllTables(db);
  await seedChain();
  const result = (name: string, wallMs: number): BenchResult => ({
    name,
    baseline: "plain SELECT of 100k events",
    requestsPerSec: (EVENT_COUNT * 1000) / wallMs,
    p95Ms: wallMs,
    samples: EVENT_COUNT,
    errors: 0,
    wallMs,
  });
  const time = async (work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    return performance.now() - started;
  };

  const client = new pg.Client({ connectionString });
  await client.connect();
  const select = await time(async () => {
    const { rowCount } = await client.query('SELECT * FROM "AuditEvent" ORDER BY seq');
    if (rowCount !== EVENT_COUNT) throw new Error(`expected ${EVENT_COUNT} rows, got ${rowCount}`);
  });
  await client.end();

  const csv = await time(() => drain(exportEventsCsv(auditEventsInOrder())));
  const json = await time(() =>
    drain(exportEventsJson(auditEventsInOrder(), { scope: { planId: "bench-plan" }, generatedAt: new Date() })),
  );
  const markdown = await time(() =>
    exportPostmortemMarkdown({ events: auditEventsInOrder(), generatedAt: new Date(), window: { from: new Date(0), to: new Date() } }),
  );
  await truncateAllTables(db);
  return [
    result("plain SELECT of 100k events", select),
    result("CSV export, 100k events", csv),
    result("JSON bundle, 100k events", json),
    result("Markdown postmortem, 100k events", markdown),
  ];
}
