export type ReplayEntry = {
  expiresAt: number;
  /** sha256 of method, path and body: tells an idempotent repeat from a reused id. */
  fingerprint: string;
  operationId?: string;
};

/**
 * webhook-ids seen recently, in memory. What outlives the process is the replay journal
 * (state/open-replay-journal.ts): the request handler writes every id it answers to it, and
 * start-agent restores the cache from it.
 * An id must be remembered as long as a signature carrying it could
 * still pass the timestamp check (tolerance either side of the clock), hence 2 x tolerance.
 * Entries go in in arrival order with the same lifetime, so expiry is a scan from the front.
 * Memory is bounded: when full, new requests are refused (fail closed) rather than forgetting
 * ids that could then be replayed.
 */
export function createReplayCache(options: { ttlMs: number; maxEntries: number; now?: () => number }) {
  const now = options.now ?? (() => Date.now());
  const entries = new Map<string, ReplayEntry>();

  function prune(at: number): void {
    for (const [id, entry] of entries) {
      if (entry.expiresAt > at) break;
      entries.delete(id);
    }
  }

  return {
    get(id: string): ReplayEntry | undefined {
      prune(now());
      return entries.get(id);
    },
    /** Remembers `id`; false when the cache is full. */
    add(id: string, fingerprint: string, operationId?: string, receivedAt: number = now()): boolean {
      prune(now());
      if (entries.size >= options.maxEntries) return false;
      entries.set(id, { expiresAt: receivedAt + options.ttlMs, fingerprint, ...(operationId ? { operationId } : {}) });
      return true;
    },
    /**
     * Puts back ids a previous process remembered (oldest expiry first). Not bounded by
     * maxEntries: forgetting a live id would make it replayable.
     */
    restore(restored: Iterable<{ id: string; fingerprint: string; expiresAt: number }>): void {
      const at = now();
      for (const entry of restored) {
        if (entry.expiresAt > at && !entries.has(entry.id))
          entries.set(entry.id, { expiresAt: entry.expiresAt, fingerprint: entry.fingerprint });
      }
    },
    /** The live ids, for compacting the journal. */
    *live(): Generator<{ id: string; fingerprint: string; expiresAt: number }> {
      prune(now());
      for (const [id, entry] of entries) yield { id, fingerprint: entry.fingerprint, expiresAt: entry.expiresAt };
    },
    attachOperation(id: string, operationId: string): void {
      const entry = entries.get(id);
      if (entry) entry.operationId = operationId;
    },
    get size(): number {
      return entries.size;
    },
  };
}

export type ReplayCache = ReturnType<typeof createReplayCache>;
