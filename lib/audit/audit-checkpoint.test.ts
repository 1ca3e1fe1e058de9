import { describe, expect, it } from "vitest";
import {
  auditCheckpointSigner,
  checkAuditCheckpoint,
  newestAuditCheckpoint,
  signedAuditCheckpointSchema,
  verifyAuditCheckpointSignature,
  type SignedAuditCheckpoint,
} from "./audit-checkpoint";
import { auditCheckpointFilePath } from "./audit-checkpoint-file-path";
import { GENESIS_HASH } from "./audit-hash";
import { findAuditCheckpoints } from "./find-audit-checkpoints";

const signer = auditCheckpointSigner("a-test-secret-of-enough-length");
const other = auditCheckpointSigner("another-secret-of-enough-length");
const HASH = "ab".repeat(32);
const AT = "2026-12-01T10:00:00.000Z";
const checkpoint = signer.sign({ sequence: "42", hash: HASH, at: AT });

describe("signed audit checkpoints", () => {
  it("derives the same Ed25519 key pair from the same secret, and a different one from another", () => {
    expect(auditCheckpointSigner("a-test-secret-of-enough-length").publicKey).toBe(signer.publicKey);
    expect(other.publicKey).not.toBe(signer.publicKey);
    expect(signer.publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("signs deterministically, in the shape the schema accepts", () => {
    expect(signer.sign({ sequence: "42", hash: HASH, at: AT })).toEqual(checkpoint);
    expect(signedAuditCheckpointSchema.parse(checkpoint)).toEqual(checkpoint);
    expect(checkpoint).toMatchObject({ sequence: "42", hash: HASH, at: AT, publicKey: signer.publicKey });
  });

  it("verifies a good signature, with and without the trusted key", () => {
    expect(verifyAuditCheckpointSignature(checkpoint)).toEqual({ ok: true });
    expect(verifyAuditCheckpointSignature(checkpoint, signer.publicKey)).toEqual({ ok: true });
  });

  it("fails a tampered sequence, hash or time", () => {
    for (const tampered of [
      { ...checkpoint, sequence: "41" },
      { ...checkpoint, hash: "cd".repeat(32) },
      { ...checkpoint, at: "2026-12-01T10:00:01.000Z" },
    ]) {
      expect(verifyAuditCheckpointSignature(tampered)).toMatchObject({ ok: false, reason: "bad_signature" });
    }
  });

  it("fails a checkpoint signed by another key: as untrusted when pinned, as bad when the key is swapped in", () => {
    const forged = other.sign({ sequence: "42", hash: HASH, at: AT });
    expect(verifyAuditCheckpointSignature(forged, signer.publicKey)).toMatchObject({ ok: false, reason: "untrusted_key" });
    // Someone who claims our public key but signs with theirs.
    expect(verifyAuditCheckpointSignature({ ...forged, publicKey: signer.publicKey })).toMatchObject({
      ok: false,
      reason: "bad_signature",
    });
  });

  it("reports a chain that ends before the checkpoint as truncated", () => {
    const problem = checkAuditCheckpoint({ checkpoint, trustedPublicKey: signer.publicKey, lastSeq: "40", hashAtSequence: null });
    expect(problem).toMatchObject({ reason: "truncated", sequence: "42" });
    expect(problem?.message).toBe(`The chain ends at sequence 40 before checkpoint 42 (signed at ${AT}): rows were removed.`);
    expect(checkAuditCheckpoint({ checkpoint, lastSeq: null, hashAtSequence: null })?.reason).toBe("truncated");
  });

  it("reports a row whose hash differs from the checkpoint's, and accepts the matching one", () => {
    expect(checkAuditCheckpoint({ checkpoint, lastSeq: "50", hashAtSequence: "ef".repeat(32) })).toMatchObject({ reason: "hash_mismatch" });
    expect(checkAuditCheckpoint({ checkpoint, lastSeq: "50", hashAtSequence: null })).toMatchObject({ reason: "hash_mismatch" });
    expect(checkAuditCheckpoint({ checkpoint, trustedPublicKey: signer.publicKey, lastSeq: "50", hashAtSequence: HASH })).toBeNull();
    expect(checkAuditCheckpoint({ checkpoint, lastSeq: "42", hashAtSequence: HASH })).toBeNull();
  });

  it("checks the signature before the chain", () => {
    const tampered = { ...checkpoint, sequence: "40" };
    expect(checkAuditCheckpoint({ checkpoint: tampered, lastSeq: "50", hashAtSequence: HASH })).toMatchObject({ reason: "bad_signature" });
  });

  it("accepts the empty chain's checkpoint only with the genesis hash", () => {
    const empty = signer.sign({ sequence: "0", hash: GENESIS_HASH, at: AT });
    expect(checkAuditCheckpoint({ checkpoint: empty, lastSeq: null, hashAtSequence: null })).toBeNull();
    const bogus = signer.sign({ sequence: "0", hash: HASH, at: AT });
    expect(checkAuditCheckpoint({ checkpoint: bogus, lastSeq: null, hashAtSequence: null })).toMatchObject({ reason: "hash_mismatch" });
  });

  it("picks the checkpoint furthest along the chain, by number not by text", () => {
    const nine = signer.sign({ sequence: "9", hash: HASH, at: AT });
    const ten = signer.sign({ sequence: "10", hash: HASH, at: AT });
    expect(newestAuditCheckpoint([ten, nine])).toBe(ten);
    expect(newestAuditCheckpoint([])).toBeNull();
  });
});

describe("finding checkpoints in a document", () => {
  const line = (value: SignedAuditCheckpoint) => JSON.stringify(value);
  const first = signer.sign({ sequence: "1", hash: HASH, at: AT });

  it("reads the checkpoint file line by line and reports a line that is not a checkpoint", () => {
    expect(findAuditCheckpoints(`${line(first)}\n${line(checkpoint)}\n`)).toEqual({ checkpoints: [first, checkpoint], problems: [] });
    expect(findAuditCheckpoints(`${line(checkpoint)}\n`)).toEqual({ checkpoints: [checkpoint], problems: [] });
    expect(findAuditCheckpoints(`${line(first)}\n{"sequence":"5"}\n${line(checkpoint).slice(0, 20)}`)).toEqual({
      checkpoints: [first],
      problems: ["line 2 is not a signed audit checkpoint", "line 3 is not a signed audit checkpoint"],
    });
    expect(findAuditCheckpoints("")).toEqual({ checkpoints: [], problems: [] });
  });

  it("finds the checkpoints of an endpoint reply, a broadcast body and a bundle", () => {
    expect(findAuditCheckpoints(JSON.stringify({ checkpoint, publicKey: signer.publicKey })).checkpoints).toEqual([checkpoint]);
    expect(findAuditCheckpoints(JSON.stringify({ type: "rollbook.node.red", auditCheckpoint: checkpoint })).checkpoints).toEqual([
      checkpoint,
    ]);
    expect(
      findAuditCheckpoints(JSON.stringify({ events: [], chain: { checkpoint: first, logCheckpoint: checkpoint } })).checkpoints,
    ).toEqual([first, checkpoint]);
    expect(findAuditCheckpoints(JSON.stringify({ events: [] })).problems).toEqual(["the document holds no signed audit checkpoint"]);
  });
});

describe("the checkpoint file's place", () => {
  it("defaults to one file per database under .data, honours a path, and turns off", () => {
    expect(auditCheckpointFilePath({ setting: undefined, databaseName: "rollbook", cwd: "/srv/rb" })).toBe(
      "/srv/rb/.data/audit-checkpoints-rollbook.jsonl",
    );
    expect(auditCheckpointFilePath({ setting: "", databaseName: "a/b", cwd: "/srv/rb" })).toBe("/srv/rb/.data/audit-checkpoints-a_b.jsonl");
    expect(auditCheckpointFilePath({ setting: "/var/lib/rb/cp.jsonl", databaseName: "rollbook" })).toBe("/var/lib/rb/cp.jsonl");
    expect(auditCheckpointFilePath({ setting: "off", databaseName: "rollbook" })).toBeNull();
  });
});
