import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const PREFIX = "sealed:v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * A 256-bit key for one purpose, derived (HKDF-SHA-256) from an operator-supplied secret of any
 * length. The purpose is the HKDF info, so the same secret never yields the same key twice.
 */
export function deriveSecretKey(secret: string, purpose: string): Buffer {
  if (secret.length < 16) throw new Error("the encryption secret must be at least 16 characters");
  return Buffer.from(hkdfSync("sha256", secret, "rollbook", purpose, 32));
}

/** True for values written by {@link sealSecret}; anything else is a legacy plaintext value. */
export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

/**
 * AES-256-GCM with a random IV: the same plaintext seals differently every time, and any change to
 * the sealed text (or a different key) makes {@link openSecret} throw instead of returning garbage.
 */
export function sealSecret(plaintext: string, key: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${PREFIX}${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url")}`;
}

export function openSecret(sealed: string, key: Buffer): string {
  if (!isSealed(sealed)) throw new Error("not a sealed secret");
  const raw = Buffer.from(sealed.slice(PREFIX.length), "base64url");
  if (raw.length < IV_BYTES + TAG_BYTES) throw new Error("sealed secret is truncated");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, IV_BYTES));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
}
