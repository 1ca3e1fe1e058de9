import { createHash } from "node:crypto";

/**
 * SHA-256 of a UTF-8 string as lowercase hex. Synchronous node:crypto: the dashboard recomputes a
 * probe hash for every agent in every collector round, and Web Crypto's promise per digest cost
 * more than the hashing itself. Everything that imports lib/protocol runs on Node.
 */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
