import { canonicalJson, type Lock } from "@/lib/protocol";

/**
 * Lockfile bytes for a lock. Canonical JSON, so nodes given the same lock write byte-identical
 * files whatever key order the request used, and their lockfile hashes agree.
 */
export function formatLockfile(lock: Lock): string {
  return `${canonicalJson(lock)}\n`;
}
