import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import canonicalize from "canonicalize";
import { z } from "zod";
import { deriveSecretKey } from "@/lib/security/secret-box";
import { GENESIS_HASH } from "./audit-hash";

export const AUDIT_CHECKPOINT_FORMAT = "rollbook.audit-checkpoint/v1";

/** What a checkpoint states: row `sequence` of the audit chain had `hash` when it was seen at `at`. */
export interface AuditCheckpoint {
  sequence: string;
  hash: string;
  at: string;
}

/**
 * A checkpoint as it travels: in exports, failure broadcasts, the checkpoint file and
 * `GET /api/audit/checkpoint`. Self-describing (it names its public key) so anyone can check the
 * signature offline; what makes it trustworthy is comparing `publicKey` with the dashboard's
 * published one, not the signature alone. Sequence 0 with the genesis hash is the empty chain.
 */
export const signedAuditCheckpointSchema = z.strictObject({
  format: z.literal(AUDIT_CHECKPOINT_FORMAT),
  sequence: z.string().regex(/^(0|[1-9][0-9]*)$/, "must be a decimal sequence number"),
  hash: z.string().regex(/^[0-9a-f]{64}$/, "must be a hex SHA-256"),
  at: z.iso.datetime(),
  publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "must be a base64url Ed25519 public key"),
  signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/, "must be a base64url Ed25519 signature"),
});
export type SignedAuditCheckpoint = z.infer<typeof signedAuditCheckpointSchema>;

export interface AuditCheckpointSigner {
  /** The raw Ed25519 public key, base64url (a JWK's `x`): the value verifiers pin. */
  readonly publicKey: string;
  sign(checkpoint: AuditCheckpoint): SignedAuditCheckpoint;
}

// PKCS#8 DER of an Ed25519 private key is this fixed prefix followed by the 32-byte seed (RFC 8410).
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/**
 * The dashboard's checkpoint key pair, derived deterministically from ROLLBOOK_SECRET_KEY (HKDF
 * with its own purpose, so it shares nothing with the agent-secret key): every dashboard
 * instance signs with the same key, and there is no key file to lose or to keep in sync.
 * Ed25519 rather than HMAC so that verifying needs only the public key: a receiver of broadcasts
 * or a reviewer of a bundle can check a checkpoint without being able to forge one.
 */
export function auditCheckpointSigner(secret: string): AuditCheckpointSigner {
  const seed = deriveSecretKey(secret, "audit checkpoints");
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: "der", type: "pkcs8" });
  const { x } = createPublicKey(privateKey).export({ format: "jwk" });
  if (!x) throw new Error("cannot export the audit checkpoint public key");
  return { publicKey: x, sign: (checkpoint) => signAuditCheckpoint(checkpoint, privateKey, x) };
}

/** Ed25519 signatures are deterministic: the same checkpoint and key always give the same bytes. */
export function signAuditCheckpoint(checkpoint: AuditCheckpoint, privateKey: KeyObject, publicKey: string): SignedAuditCheckpoint {
  const unsigned = {
    format: AUDIT_CHECKPOINT_FORMAT,
    sequence: checkpoint.sequence,
    hash: checkpoint.hash,
    at: checkpoint.at,
    publicKey,
  } as const;
  return { ...unsigned, signature: sign(null, signedBytes(unsigned), privateKey).toString("base64url") };
}

/** RFC 8785 canonical JSON of every field but the signature: re-implementable in any language. */
function signedBytes(checkpoint: Omit<SignedAuditCheckpoint, "signature">): Buffer {
  const canonical = canonicalize({
    format: checkpoint.format,
    sequence: checkpoint.sequence,
    hash: checkpoint.hash,
    at: checkpoint.at,
    publicKey: checkpoint.publicKey,
  });
  if (canonical === undefined) throw new Error("audit checkpoint cannot be encoded");
  return Buffer.from(canonical, "utf8");
}

export type AuditCheckpointSignatureCheck = { ok: true } | { ok: false; reason: "untrusted_key" | "bad_signature"; message: string };

/**
 * Checks the signature, and that the key is the trusted one when one is given. Without a trusted
 * key only self-consistency is proven: anyone can sign a checkpoint with a key of their own.
 */
export function verifyAuditCheckpointSignature(
  checkpoint: SignedAuditCheckpoint,
  trustedPublicKey?: string,
): AuditCheckpointSignatureCheck {
  const label = describeAuditCheckpoint(checkpoint);
  if (trustedPublicKey !== undefined && checkpoint.publicKey !== trustedPublicKey) {
    return {
      ok: false,
      reason: "untrusted_key",
      message: `${capitalise(label)} is signed by key ${checkpoint.publicKey}, not by the trusted key ${trustedPublicKey}.`,
    };
  }
  const { signature, ...unsigned } = checkpoint;
  let valid = false;
  try {
    const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: checkpoint.publicKey }, format: "jwk" });
    valid = verify(null, signedBytes(unsigned), key, Buffer.from(signature, "base64url"));
  } catch {
    valid = false;
  }
  return valid
    ? { ok: true }
    : { ok: false, reason: "bad_signature", message: `${capitalise(label)} has a bad signature: it was altered or forged.` };
}

export interface AuditCheckpointProblem {
  reason: "untrusted_key" | "bad_signature" | "truncated" | "hash_mismatch";
  sequence: string;
  at: string;
  message: string;
}

/**
 * Judges one checkpoint against a chain whose links have been (or will be) verified separately:
 * a valid signature by the trusted key, a chain that reaches the checkpoint's sequence, and the
 * row there having the checkpoint's hash. Because each hash covers all earlier rows, one matching
 * checkpoint vouches for the whole prefix up to it; rows removed from the end show up as a chain
 * that stops short of it.
 *
 * `lastSeq` is the chain's last sequence (null when it is empty); `hashAtSequence` is the hash of
 * the row at the checkpoint's sequence, null when there is no such row.
 */
export function checkAuditCheckpoint(input: {
  checkpoint: SignedAuditCheckpoint;
  trustedPublicKey?: string;
  lastSeq: string | null;
  hashAtSequence: string | null;
}): AuditCheckpointProblem | null {
  const { checkpoint } = input;
  const where = { sequence: checkpoint.sequence, at: checkpoint.at };
  const signature = verifyAuditCheckpointSignature(checkpoint, input.trustedPublicKey);
  if (!signature.ok) return { reason: signature.reason, ...where, message: signature.message };
  const label = describeAuditCheckpoint(checkpoint);
  const sequence = BigInt(checkpoint.sequence);
  if (sequence === 0n) {
    return checkpoint.hash === GENESIS_HASH
      ? null
      : {
          reason: "hash_mismatch",
          ...where,
          message: `${capitalise(label)} claims an empty chain with a hash other than the genesis hash.`,
        };
  }
  const lastSeq = input.lastSeq === null ? 0n : BigInt(input.lastSeq);
  if (lastSeq < sequence) {
    return {
      reason: "truncated",
      ...where,
      message: `The chain ends at sequence ${lastSeq} before ${label}: rows were removed.`,
    };
  }
  if (input.hashAtSequence !== checkpoint.hash) {
    return {
      reason: "hash_mismatch",
      ...where,
      message:
        input.hashAtSequence === null
          ? `There is no row at sequence ${checkpoint.sequence}, but ${label} records hash ${checkpoint.hash}: rows were removed.`
          : `The row at sequence ${checkpoint.sequence} has hash ${input.hashAtSequence}, but ${label} records ${checkpoint.hash}: the chain was rewritten.`,
    };
  }
  return null;
}

/** The checkpoint furthest along the chain (the last one listed among equals). */
export function newestAuditCheckpoint(checkpoints: Iterable<SignedAuditCheckpoint>): SignedAuditCheckpoint | null {
  let newest: SignedAuditCheckpoint | null = null;
  for (const checkpoint of checkpoints) {
    if (newest === null || BigInt(checkpoint.sequence) >= BigInt(newest.sequence)) newest = checkpoint;
  }
  return newest;
}

/** "checkpoint 42 (signed at 2026-12-01T10:00:00.000Z)", the phrase every message uses. */
export function describeAuditCheckpoint(checkpoint: Pick<AuditCheckpoint, "sequence" | "at">): string {
  return `checkpoint ${checkpoint.sequence} (signed at ${checkpoint.at})`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
