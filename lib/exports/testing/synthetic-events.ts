import { auditHash, GENESIS_HASH, type ChainedAuditEvent } from "@/lib/audit/audit-hash";

/**
 * An async generator of `count` events that records how far it got, for streaming tests:
 * `progress.produced` is how many events the consumer has pulled so far, `progress.finished`
 * whether the generator ran to the end, `progress.closed` whether its `finally` ran (a consumer
 * that stops early must close it, or a database cursor would leak). With `chained`, the events
 * carry real hashes (slower: one SHA-256 each).
 */
export function syntheticEvents(count: number, options: { chained?: boolean } = {}) {
  const progress = { produced: 0, finished: false, closed: false };
  async function* generate(): AsyncGenerator<ChainedAuditEvent, void, undefined> {
    let prevHash = GENESIS_HASH;
    try {
      for (let index = 1; index <= count; index += 1) {
        const content = {
          seq: String(index),
          at: new Date(Date.UTC(2026, 10, 23, 0, 0, 0) + index * 1_000).toISOString(),
          actorId: index % 3 === 0 ? null : "user_ops",
          actorEmail: index % 3 === 0 ? null : "ops@example.test",
          kind: index % 2 === 0 ? "agent.reply" : "agent.call",
          nodeId: `node_${index % 50}`,
          planId: "plan_big",
          data: { node: `gw-${index % 50}`, action: "verify", status: "succeeded", durationMs: index % 997 },
        };
        const hash = options.chained ? auditHash(prevHash, content) : "f".repeat(64);
        progress.produced += 1;
        yield { ...content, prevHash, hash };
        prevHash = hash;
        // Yield to the event loop now and then, as a database read would.
        if (index % 1_000 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      progress.finished = true;
    } finally {
      progress.closed = true;
    }
  }
  return { events: generate(), progress };
}
