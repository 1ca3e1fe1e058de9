import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openReplayJournal, type OpenReplayJournalOptions, type ReplayJournalEntry } from "./open-replay-journal";

const TOLERANCE = 300_000;
const fp = (n: number) => n.toString(16).padStart(64, "0");

describe("openReplayJournal", () => {
  let dir: string;
  let file: string;
  let now: number;
  // The "replay cache" the journal compacts from.
  let live: Map<string, ReplayJournalEntry>;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "rollbook-journal-"));
    file = path.join(dir, "replay-journal.jsonl");
    now = 1_800_000_000_000;
    live = new Map();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const open = (overrides: Partial<OpenReplayJournalOptions> = {}) =>
    openReplayJournal({
      file,
      hadEarlierAgent: false,
      toleranceMs: TOLERANCE,
      maxEntries: 100,
      live: () => [...live.values()].filter((entry) => entry.expiresAt > now),
      now: () => now,
      ...overrides,
    });

  async function remember(journal: Awaited<ReturnType<typeof open>>, id: string, ttl = 600_000) {
    const entry = { id, fingerprint: fp(live.size + 1), expiresAt: now + ttl };
    live.set(id, entry);
    await journal.append(entry);
    return entry;
  }

  /** The reason a journal was reported lost (fails the test if it was not). */
  const lostReason = (journal: Awaited<ReturnType<typeof open>>) =>
    journal.state.kind === "lost" ? journal.state.reason : `not lost: ${journal.state.kind}`;

  const lines = async () => (await readFile(file, "utf8")).split("\n").filter((line) => line !== "");

  it("starts new, and a reopen restores every live id it was told about", async () => {
    const first = await open();
    expect(first.state).toEqual({ kind: "new" });
    expect(first.refuseSignedBeforeMs).toBeNull();
    const a = await remember(first, "msg_a");
    // Durable the moment append resolves: a crash right after must not lose it.
    expect(await readFile(file, "utf8")).toContain('"msg_a"');
    const b = await remember(first, "msg_b", 1_000);
    const c = await remember(first, "msg_c", 300_000);
    await first.close();
    await expect(first.append(a)).rejects.toThrow(/closed/);

    now += 2_000; // msg_b has expired
    const second = await open({ hadEarlierAgent: true });
    expect(second.state).toEqual({ kind: "restored", tornTail: false });
    expect(second.restored).toEqual([c, a]); // soonest expiry first
    expect(second.refuseSignedBeforeMs).toBeNull();
    expect(b.expiresAt).toBeLessThan(now);
    // Rewritten at open: expired ids are gone from the file too.
    expect(await lines()).toHaveLength(3);
    await second.close();
  });

  it("batches concurrent appends and keeps them all", async () => {
    const journal = await open();
    await Promise.all(Array.from({ length: 200 }, (_, i) => remember(journal, `msg_${i}`)));
    await journal.close();
    const reopened = await open({ hadEarlierAgent: true, maxEntries: 1000 });
    expect(reopened.restored.map((entry) => entry.id).sort()).toEqual(Array.from({ length: 200 }, (_, i) => `msg_${i}`).sort());
    await reopened.close();
  });

  it("stays bounded: compacts to the live ids once it has doubled", async () => {
    const journal = await open({ maxEntries: 5_000 });
    for (let round = 0; round < 6; round++) {
      await Promise.all(Array.from({ length: 500 }, (_, i) => remember(journal, `msg_${round}_${i}`, 1_000)));
      now += 2_000; // everything so far expires
    }
    await remember(journal, "msg_last");
    // 3001 appends in all, but only one id is live: the file never grew past the compaction point.
    expect((await lines()).length).toBeLessThanOrEqual(1024 + 500);
    await journal.close();
    const reopened = await open({ hadEarlierAgent: true });
    expect(reopened.restored.map((entry) => entry.id)).toEqual(["msg_last"]);
    await reopened.close();
  });

  it("ignores a torn last line (its append never completed, so nobody got an answer for it)", async () => {
    const journal = await open();
    const kept = await remember(journal, "msg_kept");
    await journal.close();
    await writeFile(file, `${await readFile(file, "utf8")}{"id":"msg_torn","fp":"00`, { flag: "w" });
    const reopened = await open({ hadEarlierAgent: true });
    expect(reopened.state).toEqual({ kind: "restored", tornTail: true });
    expect(reopened.restored).toEqual([kept]);
    expect(reopened.refuseSignedBeforeMs).toBeNull();
    await reopened.close();
  });

  it.each([
    ["garbage in the middle", (text: string) => text.replace("\n", '\n{"id":oops\n'), /line 2 is not a valid entry/],
    ["a schema-invalid entry", (text: string) => `${text}{"id":"msg_x","fp":"not-hex","exp":1}\n`, /line 3 is not a valid entry/],
    ["an unknown field", (text: string) => `${text}{"id":"msg_x","fp":"${fp(9)}","exp":1,"op":"x"}\n`, /line 3/],
    ["a missing header", (text: string) => text.slice(text.indexOf("\n") + 1), /header/],
    ["an empty file", () => "", /no header/],
    ["another file format", () => '{"kind":"something-else","version":1,"refuseSignedBeforeMs":null}\n', /header/],
  ])("fails closed on %s: moved aside, and signatures the old process may have seen are refused", async (_name, corrupt, reason) => {
    const journal = await open();
    await remember(journal, "msg_a");
    await journal.close();
    const original = await readFile(file, "utf8");
    await writeFile(file, corrupt(original));

    const lost = await open({ hadEarlierAgent: true });
    expect(lost.state).toMatchObject({ kind: "lost", keptAs: `${file}.corrupt` });
    expect(lostReason(lost)).toMatch(reason);
    expect(lost.restored).toEqual([]);
    // The old process accepted timestamps up to its own clock + tolerance, and it lived until now at most.
    expect(lost.refuseSignedBeforeMs).toBe(now + TOLERANCE);
    expect(await readFile(`${file}.corrupt`, "utf8")).toBe(corrupt(original));
    const entry = await remember(lost, "msg_new");
    await lost.close();

    // A second restart inside the window, with a perfectly good journal, still refuses.
    now += 60_000;
    const again = await open({ hadEarlierAgent: true });
    expect(again.state).toEqual({ kind: "restored", tornTail: false });
    expect(again.refuseSignedBeforeMs).toBe(lost.refuseSignedBeforeMs);
    expect(again.restored).toEqual([entry]);
    await again.close();

    // Once every signature dated before the deadline is stale, the refusal is dropped.
    now = lost.refuseSignedBeforeMs! + TOLERANCE + 1;
    const later = await open({ hadEarlierAgent: true });
    expect(later.refuseSignedBeforeMs).toBeNull();
    await later.close();
  });

  it("fails closed when the journal is missing from a state dir an agent already used", async () => {
    const journal = await open({ hadEarlierAgent: true });
    expect(journal.state).toMatchObject({ kind: "lost", keptAs: null });
    expect(lostReason(journal)).toMatch(/missing/);
    expect(journal.refuseSignedBeforeMs).toBe(now + TOLERANCE);
    await journal.close();
  });

  it("fails closed on a journal too long to be one this agent wrote, or not a file at all", async () => {
    const header = '{"kind":"rollbook-replay-journal","version":1,"refuseSignedBeforeMs":null}\n';
    const entry = `{"id":"msg_x","fp":"${fp(1)}","exp":${now + 1000}}\n`;
    await writeFile(file, header + entry.repeat(2 * 10 + 2 * 1024 + 1));
    const long = await open({ hadEarlierAgent: true, maxEntries: 10 });
    expect(lostReason(long)).toMatch(/lines/);
    await long.close();

    await rm(file);
    await mkdir(file);
    const notAFile = await open({ hadEarlierAgent: true });
    expect(lostReason(notAFile)).toMatch(/regular file/);
    await remember(notAFile, "msg_ok");
    await notAFile.close();
    expect((await stat(file)).isFile()).toBe(true);
  });
});
