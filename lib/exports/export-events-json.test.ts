import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SignedAuditCheckpoint } from "@/lib/audit/audit-checkpoint";
import { auditHash, GENESIS_HASH, type ChainedAuditEvent } from "@/lib/audit/audit-hash";
import { exportEventsJson } from "./export-events-json";
import { CHAIN_ALGORITHM, INCIDENT_BUNDLE_FORMAT, type IncidentBundleScope } from "./incident-bundle-schema";
import { readText } from "./testing/read-text";
import { scriptedRollout } from "./testing/scripted-rollout";
import { syntheticEvents } from "./testing/synthetic-events";
import { otherCheckpointSigner, testCheckpointSigner, testLogHead } from "./testing/test-checkpoints";
import { verifyIncidentBundle } from "./verify-incident-bundle";

const rollout = scriptedRollout();
const scope: IncidentBundleScope = { planId: rollout.plan.id };

interface ParsedBundle {
  format: string;
  chain: {
    count: number;
    headHash: string | null;
    startPrevHash: string | null;
    lastSeq: string | null;
    checkpoint?: SignedAuditCheckpoint | null;
    logCheckpoint?: SignedAuditCheckpoint | null;
  };
  events: ChainedAuditEvent[];
  [key: string]: unknown;
}

/** Signed as the dashboard signs it; the log's head is the end of the given events (the log is the rollout). */
const checkpoints = (events: readonly ChainedAuditEvent[] = rollout.events) => ({
  signer: testCheckpointSigner,
  logHead: testLogHead(events, rollout.generatedAt),
});

async function bundleText(events: ChainedAuditEvent[] = rollout.events): Promise<string> {
  return readText(
    exportEventsJson(events, { scope, plan: rollout.plan, generatedAt: rollout.generatedAt, checkpoints: checkpoints(events) }),
  );
}

/** Cuts the last `count` events and rewrites the trailer's count, head and range to match, as a forger would. */
function cutEnd(parsed: ParsedBundle, count: number): ParsedBundle {
  parsed.events.splice(-count, count);
  parsed.chain = { ...parsed.chain, count: parsed.events.length, headHash: parsed.events.at(-1)!.hash, lastSeq: parsed.events.at(-1)!.seq };
  return parsed;
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
      checkpoint: testCheckpointSigner.sign({ sequence: last!.seq, hash: last!.hash, at: "2026-11-23T15:00:00.000Z" }),
      logCheckpoint: testLogHead(rollout.events, rollout.generatedAt),
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
      signedBy: testCheckpointSigner.publicKey,
      keyPinned: false,
      logCheckpoint: testLogHead(rollout.events, rollout.generatedAt),
    });
    await expect(verifyIncidentBundle(await bundle(), { publicKey: testCheckpointSigner.publicKey })).resolves.toMatchObject({
      ok: true,
      keyPinned: true,
    });
  });

  it("verifies a window that does not start at genesis", async () => {
    const window = rollout.events.slice(20, 60);
    const text = await readText(
      exportEventsJson(window, {
        scope: { from: window[0]!.at, to: "2026-11-23T11:00:00.000Z" },
        generatedAt: rollout.generatedAt,
        checkpoints: checkpoints(),
      }),
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

  it("detects a truncation whose trailer was rewritten to match, through the signed checkpoint of the last event", async () => {
    const result = await verifyIncidentBundle(cutEnd(await bundle(), 3));
    const last = rollout.events.length;
    expect(result).toMatchObject({ ok: false, problem: "truncated" });
    expect(!result.ok && result.message).toBe(
      `The chain ends at sequence ${last - 3} before checkpoint ${last} (signed at 2026-11-23T15:00:00.000Z): events were cut off the end of the bundle.`,
    );
  });

  it("refuses a bundle whose checkpoint was stripped, unless unsigned bundles are accepted knowingly", async () => {
    const stripped = cutEnd(await bundle(), 1);
    stripped.chain.checkpoint = null;
    await expect(verifyIncidentBundle(stripped)).resolves.toMatchObject({ ok: false, problem: "unsigned" });
    await expect(verifyIncidentBundle(stripped, { allowUnsigned: true })).resolves.toMatchObject({ ok: true });
    // A bundle from before checkpoints (v1) reads the same way.
    const v1 = await bundle();
    v1.format = "rollbook.incident-bundle/v1";
    delete v1.chain.checkpoint;
    delete v1.chain.logCheckpoint;
    await expect(verifyIncidentBundle(v1)).resolves.toMatchObject({ ok: false, problem: "unsigned" });
    await expect(verifyIncidentBundle(v1, { allowUnsigned: true })).resolves.toMatchObject({ ok: true, signedBy: null });
  });

  it("detects a checkpoint moved to the cut end: its signature no longer holds", async () => {
    const tampered = cutEnd(await bundle(), 1);
    const checkpoint = tampered.chain.checkpoint!;
    tampered.chain.checkpoint = { ...checkpoint, sequence: tampered.chain.lastSeq!, hash: tampered.chain.headHash! };
    await expect(verifyIncidentBundle(tampered)).resolves.toMatchObject({ ok: false, problem: "bad_signature" });
  });

  it("only a pinned key catches a bundle cut and re-signed with someone else's key", async () => {
    const resigned = cutEnd(await bundle(), 2);
    const last = resigned.events.at(-1)!;
    resigned.chain.checkpoint = otherCheckpointSigner.sign({ sequence: last.seq, hash: last.hash, at: rollout.generatedAt.toISOString() });
    resigned.chain.logCheckpoint = testLogHead(resigned.events, rollout.generatedAt, otherCheckpointSigner);
    const unpinned = await verifyIncidentBundle(resigned);
    // Self-consistent, but the result names the key, which is not the dashboard's.
    expect(unpinned).toMatchObject({ ok: true, signedBy: otherCheckpointSigner.publicKey, keyPinned: false });
    await expect(verifyIncidentBundle(resigned, { publicKey: testCheckpointSigner.publicKey })).resolves.toMatchObject({
      ok: false,
      problem: "untrusted_key",
    });
    // Re-signing only the end leaves two keys in one bundle.
    const half = cutEnd(await bundle(), 2);
    half.chain.checkpoint = resigned.chain.checkpoint;
    await expect(verifyIncidentBundle(half)).resolves.toMatchObject({ ok: false, problem: "untrusted_key" });
  });

  it("detects forged events chained on after the signed end", async () => {
    const parsed = await bundle();
    const last = parsed.events.at(-1)!;
    const content = { ...last, seq: String(Number(last.seq) + 1), kind: "plan.completed", data: {} };
    const { prevHash: _prev, hash: _hash, ...fields } = content;
    const forged = { ...fields, prevHash: last.hash, hash: auditHash(last.hash, fields) };
    parsed.events.push(forged);
    parsed.chain = { ...parsed.chain, count: parsed.events.length, headHash: forged.hash, lastSeq: forged.seq };
    const result = await verifyIncidentBundle(parsed);
    expect(result).toMatchObject({ ok: false, problem: "unsigned_tail" });
    expect(!result.ok && result.message).toContain(`Events #${forged.seq} to #${forged.seq} come after the bundle's signed end`);
  });

  it("checks the log's head against the event at its sequence when the bundle holds it", async () => {
    const parsed = await bundle();
    parsed.chain.logCheckpoint = testCheckpointSigner.sign({ sequence: "50", hash: "e".repeat(64), at: rollout.generatedAt.toISOString() });
    await expect(verifyIncidentBundle(parsed)).resolves.toMatchObject({ ok: false, problem: "checkpoint_mismatch" });
    const later = await bundle();
    later.chain.logCheckpoint = testCheckpointSigner.sign({ sequence: "500", hash: "e".repeat(64), at: rollout.generatedAt.toISOString() });
    await expect(verifyIncidentBundle(later)).resolves.toMatchObject({ ok: true, logCheckpoint: { sequence: "500" } });
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
    const exported = exportEventsJson(events, {
      scope: { planId: "plan_big" },
      generatedAt: rollout.generatedAt,
      eventsPerChunk: 100,
      checkpoints: { signer: testCheckpointSigner, logHead: testLogHead([], rollout.generatedAt) },
    });
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
