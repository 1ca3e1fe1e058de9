/**
 * SHA-256 of a UTF-8 string as lowercase hex. Uses Web Crypto (global in Node 20 and browsers)
 * rather than node:crypto so lib/protocol stays importable from any runtime the dashboard uses.
 */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
