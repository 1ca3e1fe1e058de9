import { isIP } from "node:net";

/**
 * The key for clients whose address cannot be known. Next.js gives route handlers no socket
 * address; it only copies it into X-Forwarded-For when the client sent none, so without a trusted
 * proxy that header is whatever the client claims. Those clients share one address budget.
 */
export const UNKNOWN_CLIENT_ADDRESS = "unknown";

/** "1.2.3.4", "1.2.3.4:5678", "[::1]:443", "::ffff:1.2.3.4" → the bare, canonical address; else null. */
function bareAddress(entry: string): string | null {
  let candidate = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(candidate);
  if (bracketed?.[1]) candidate = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(candidate)) candidate = candidate.slice(0, candidate.lastIndexOf(":"));
  const version = isIP(candidate);
  if (version === 4) return candidate;
  if (version !== 6) return null;
  const canonical = new URL(`http://[${candidate}]/`).hostname.slice(1, -1);
  // An IPv4 client seen through a dual-stack socket counts as that IPv4 address.
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(candidate);
  return mapped?.[1] ?? canonical;
}

/**
 * The address of the client that sent a sign-in, for throttling. With `trustedProxies` = N (the
 * ROLLBOOK_TRUST_PROXY setting), each of N proxies appended the address it saw to X-Forwarded-For,
 * so the Nth entry from the right is the first one no client could have written. Entries to its
 * left are the client's own claim and are never used. Without trusted proxies, or when the header
 * has fewer entries than proxies (a request that went around them), the address is unknown.
 */
export function clientAddress(headers: Record<string, unknown> | undefined, trustedProxies: number): string {
  if (trustedProxies < 1) return UNKNOWN_CLIENT_ADDRESS;
  const header = headers?.["x-forwarded-for"];
  const value = Array.isArray(header) ? header.join(",") : header;
  if (typeof value !== "string") return UNKNOWN_CLIENT_ADDRESS;
  const entries = value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const entry = entries[entries.length - trustedProxies];
  return (entry === undefined ? null : bareAddress(entry)) ?? UNKNOWN_CLIENT_ADDRESS;
}
