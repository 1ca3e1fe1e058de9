import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { auditHash, GENESIS_HASH, type ChainedAuditEvent } from "@/lib/audit/audit-hash";
import { exportEventsJson } from "./export-events-json";
import { CHAIN_ALGORITHM, INCIDENT_BUNDLE_FORMAT, type IncidentBundleScope } from "./incident-bundle-schema";
import { readText } from "./testing/read-text";
import { scriptedRollout } from "./testing/scripted-rollout";
import { syntheticEvents } from "./testing/synthetic-events";
import { verifyIncidentBundle } from "./verify-incident-bundle";

const rollout = scriptedRollout();
const scope: IncidentBundleScope = { planId: rollout.plan.id };

interface ParsedBundle {
  chain: { count: number; headHash: string | null; startPrevHash: string | null };
  events: ChainedAuditEvent[];
  [key: string]: unknown;
}

async function bundleText(events: Iterable<ChainedAuditEvent> | AsyncIterable<ChainedAuditEvent> = rollout.events): Promise<string> {
  return readText(exportEventsJson(events, { scope, plan: rollout.plan, generatedAt: rollout.generatedAt }));
}

async function bundle(events?: ChainedAuditEvent[]): Promise<ParsedBundle> {
  return JSON.parse(await bundleText(events)) as ParsedBundle;
}

describe("exportEventsJson", () => {
  it("writes the documented envelope with the chain trailer last", async () => {
    const text = await bundleText();
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(["format", "generatedAt", "scope", "plan", "events", "chain"]);
    expect(parsed).toMatchObject({ format: INCIDENT_BUNDLE_FORMAT, generatedAt: "2026-11-23T15:00:00.000Z", scope, plan: rollout.plan });
    const last = rollout.events.at(-1);
    expect(parsed.chain).toEqual({
      algorithm: CHAIN_ALGORITHM,
      startPrevHash: GENESIS_HASH,
      headHash: last?.hash,
      count: rollout.events.length,
      firstSeq: "1",
      lastSeq: last?.seq,
    });
    expect(parsed.events).toEqual(rollout.events);
    // One event per line, so the file greps and diffs well.
    expect(text.split("\n").filter((line) => line.startsWith('{"seq":'))).toHaveLength(rollout.events.length);
  });

  it("round-trips: the parsed bundle verifies offline", async () => {
    await expect(verifyIncidentBundle(await bundle())).resolves.toEqual({
      ok: true,
      count: rollout.events.length,
      headHash: rollout.events.at(-1)?.hash,
      firstSeq: "1",
      lastSeq: rollout.events.at(-1)?.seq,
      fromGenesis: true,
    });
  });

  it("verifies a window that does not start at genesis", async () => {
    const window = rollout.events.slice(20, 60);
    const text = await readText(
      exportEventsJson(window, { scope: { from: window[0]!.at, to: "2026-11-23T11:00:00.000Z" }, generatedAt: rollout.generatedAt }),
    );
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(parsed).not.toHaveProperty("plan");
    await expect(verifyIncidentBundle(parsed)).resolves.toMatchObject({
      ok: true,
      count: 40,
      firstSeq: "21",
      lastSeq: "60",
      fromGenesis: false,
    });
  });

  it("detects an edited event", async () => {
    const parsed = await bundle();
    parsed.events[4] = { ...parsed.events[4]!, actorEmail: "mallory@example.test" };
    const result = await verifyIncidentBundle(parsed);
    expect(result).toMatchObject({ ok: false, problem: "chain_break", firstBreak: { seq: "5", reason: "hash_mismatch" } });
  });

  it("detects edited event data, even a single number", async () => {
    const parsed = await bundle();
    const index = parsed.events.findIndex((event) => event.kind === "gate.tripped");
    const tripped = parsed.events[index]!;
    parsed.events[index] = { ...tripped, data: JSON.parse(JSON.stringify(tripped.data).replace("78.2", "74.9")) as unknown };
    await expect(verifyIncidentBundle(parsed)).resolves.toMatchObject({
      problem: "chain_break",
      firstBreak: { seq: tripped.seq, reason: "hash_mismatch" },
    });
  });

  it("detects a deleted event", async () => {
    const parsed = await bundle();
    parsed.events.splice(9, 1);
    await expect(verifyIncidentBundle(parsed)).resolves.toMatchObject({
      ok: false,
      problem: "chain_break",
      firstBreak: { seq: "11", reason: "prev_hash_mismatch" },
    });
  });

  it("detects reordered events", async () => {
    const parsed = await bundle();
    const [a, b] = [parsed.events[30]!, parsed.events[31]!];
    parsed.events[30] = b;
    parsed.events[31] = a;
    await expect(verifyIncidentBundle(parsed)).resolves.toMatchObject({
      ok: false,
      problem: "chain_break",
      firstBreak: { seq: "32", reason: "prev_hash_mismatch" },
    });
  });

  it("detects events cut off the end through the trailer's count and head", async () => {
    const parsed = await bundle();
    parsed.events.pop();
    await expect(verifyIncidentBundle(parsed)).resolves.toMatchObject({ ok: false, problem: "count_mismatch" });
    parsed.chain.count -= 1;
    await expect(verifyIncidentBundle(parsed)).resolves.toMatchObject({ ok: false, problem: "head_mismatch" });
  });

  it("cannot tell a truncation whose trailer was rewritten to match; only the live head can", async () => {
    const parsed = await bundle();
    parsed.events.pop();
    parsed.chain = {
      ...parsed.chain,
      count: parsed.events.length,
      headHash: parsed.events.at(-1)!.hash,
      lastSeq: parsed.events.at(-1)!.seq,
    } as ParsedBundle["chain"];
    const result = await verifyIncidentBundle(parsed);
    expect(result).toMatchObject({ ok: true });
    // …which is why the result reports the head to compare against the database.
    expect(result.ok && result.headHash).not.toBe(rollout.events.at(-1)?.hash);
  });

  it("detects a forged head hash and a forged start hash", async () => {
    const forgedHead = await bundle();
    forgedHead.chain.headHash = "0".repeat(63) + "1";
    await expect(verifyIncidentBundle(forgedHead)).resolves.toMatchObject({ ok: false, problem: "head_mismatch" });
    const forgedStart = await bundle();
    forgedStart.chain.startPrevHash = "1".repeat(64);
    await expect(verifyIncidentBundle(forgedStart)).resolves.toMatchObject({ problem: "chain_break", firstBreak: { seq: "1" } });
  });

  it("rejects what is not a bundle, and fields the hash does not cover", async () => {
    await expect(verifyIncidentBundle(null)).resolves.toMatchObject({ ok: false, problem: "invalid_format" });
    await expect(verifyIncidentBundle({ format: "something/else" })).resolves.toMatchObject({ ok: false, problem: "invalid_format" });
    const smuggled = await bundle();
    (smuggled.events[3] as unknown as Record<string, unknown>).note = "not hashed";
    const result = await verifyIncidentBundle(smuggled);
    expect(result).toMatchObject({ ok: false, problem: "invalid_format" });
    expect(!result.ok && result.message).toContain("events.3");
  });

  it("refuses to vouch for a plan-filtered selection: bundles must be a contiguous run of the log", async () => {
    const planOnly = rollout.events.filter((event) => event.planId === rollout.plan.id);
    await expect(verifyIncidentBundle(await bundle(planOnly))).resolves.toMatchObject({ ok: false, problem: "chain_break" });
  });

  it("writes a valid, verifiable bundle for no events", async () => {
    const parsed = await bundle([]);
    expect(parsed.events).toEqual([]);
    expect(parsed.chain).toMatchObject({ count: 0, headHash: null, startPrevHash: null });
    await expect(verifyIncidentBundle(parsed)).resolves.toMatchObject({ ok: true, count: 0, fromGenesis: false });
  });

  it("keeps any JSON data verifiable through export and parse", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.jsonValue(), { minLength: 1, maxLength: 8 }), fc.option(fc.string()), async (payloads, email) => {
        const events: ChainedAuditEvent[] = [];
        let prevHash = GENESIS_HASH;
        payloads.forEach((data, index) => {
          const content = {
            seq: String(index + 1),
            at: "2026-11-23T10:00:00.000Z",
            actorId: null,
            actorEmail: email,
            kind: "test.event",
            nodeId: null,
            planId: null,
            data,
          };
          const hash = auditHash(prevHash, content);
          events.push({ ...content, prevHash, hash });
          prevHash = hash;
        });
        const parsed = JSON.parse(await bundleText(events)) as unknown;
        await expect(verifyIncidentBundle(parsed)).resolves.toMatchObject({ ok: true, count: events.length });
      }),
      { numRuns: 60 },
    );
  });

  it("streams: the envelope goes out before the first read and events are pulled chunk by chunk", async () => {
    const { events, progress } = syntheticEvents(10_000, { chained: true });
    const exported = exportEventsJson(events, { scope: { planId: "plan_big" }, generatedAt: rollout.generatedAt, eventsPerChunk: 100 });
    const first = await exported.next();
    expect(first.value).toContain('"events":[');
    expect(progress.produced).toBe(0);
    const second = await exported.next();
    expect(second.value?.split("\n").filter(Boolean)).toHaveLength(100);
    expect(progress.produced).toBe(100);
    let text = `${first.value ?? ""}${second.value ?? ""}`;
    for await (const chunk of exported) text += chunk;
    expect(progress.finished).toBe(true);
    await expect(verifyIncidentBundle(JSON.parse(text))).resolves.toMatchObject({ ok: true, count: 10_000, fromGenesis: true });
  });
});
