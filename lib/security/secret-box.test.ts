import { describe, expect, it } from "vitest";
import { deriveSecretKey, isSealed, openSecret, sealSecret } from "./secret-box";

const key = deriveSecretKey("a-test-secret-of-enough-length", "agent secrets");
const secret = "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0";

describe("secret box", () => {
  it("opens what it sealed, and never stores the plaintext", () => {
    const sealed = sealSecret(secret, key);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain(secret);
    expect(sealed).not.toContain("c2VjcmV0");
    expect(openSecret(sealed, key)).toBe(secret);
  });

  it("seals the same secret differently each time (random IV)", () => {
    expect(sealSecret(secret, key)).not.toBe(sealSecret(secret, key));
  });

  it("refuses a tampered, truncated or foreign value, and the wrong key", () => {
    const sealed = sealSecret(secret, key);
    const body = sealed.slice("sealed:v1:".length);
    const flipped = `sealed:v1:${body.slice(0, -2)}${body.at(-2) === "A" ? "B" : "A"}${body.at(-1)}`;
    expect(() => openSecret(flipped, key)).toThrow();
    expect(() => openSecret("sealed:v1:AAAA", key)).toThrow(/truncated/);
    expect(() => openSecret(secret, key)).toThrow(/not a sealed secret/);
    expect(() => openSecret(sealed, deriveSecretKey("another-secret-of-enough-length", "agent secrets"))).toThrow();
  });

  it("derives different keys for different purposes and refuses a short secret", () => {
    const other = deriveSecretKey("a-test-secret-of-enough-length", "something else");
    expect(other.equals(key)).toBe(false);
    expect(() => openSecret(sealSecret(secret, key), other)).toThrow();
    expect(() => deriveSecretKey("short", "agent secrets")).toThrow(/at least 16/);
  });
});
