import { describe, expect, it } from "vitest";
import { GENESIS_HASH, auditHash, findFirstChainBreak, type ChainedAuditEvent } from "./audit-hash";

function buildChain(count: number): ChainedAuditEvent[] {
  const events: ChainedAuditEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let index = 1; index <= count; index += 1) {
    const content = {
      seq: String(index),
      at: new Date(Date.UTC(2026, 10, 23, 12, 0, index)).toISOString(),
      actorId: "u1",
      actorEmail: "ops@example.com",
      kind: "step.activated",
      nodeId: `node-${index}`,
      planId: "plan-1",
      data: { weight: index * 10, nested: { b: 2, a: 1 } },
    };
    const hash = auditHash(prevHash, content);
    events.push({ ...content, prevHash, hash });
    prevHash = hash;
  }
  return events;
}

describe("audit hash chain", () => {
  it("accepts an untouched chain", async () => {
    await expect(findFirstChainBreak(buildChain(5))).resolves.toEqual({ checked: 5, firstBreak: null });
  });

  it("does not depend on the key order of event data", () => {
    const { prevHash, hash, ...content } = buildChain(1)[0]!;
    const reordered = { ...content, data: { nested: { a: 1, b: 2 }, weight: 10 } };
    expect(auditHash(prevHash, reordered)).toBe(hash);
  });

  it("detects an edited event at the edited row", async () => {
    const chain = buildChain(5);
    chain[2] = { ...chain[2]!, actorEmail: "mallory@example.com" };
    const result = await findFirstChainBreak(chain);
    expect(result.firstBreak).toMatchObject({ seq: "3", reason: "hash_mismatch" });
  });

  it("detects a deleted event at the row after it", async () => {
    const chain = buildChain(5);
    chain.splice(1, 1);
    const result = await findFirstChainBreak(chain);
    expect(result.firstBreak).toMatchObject({ seq: "3", reason: "prev_hash_mismatch" });
  });

  it("detects two swapped events", async () => {
    const chain = buildChain(5);
    [chain[1], chain[2]] = [chain[2]!, chain[1]!];
    const result = await findFirstChainBreak(chain);
    expect(result.firstBreak?.seq).toBe("3");
    expect(result.checked).toBe(1);
  });

  it("detects an edit that also recomputes the row's own hash (the next link breaks)", async () => {
    const chain = buildChain(4);
    const edited = { ...chain[1]!, data: { weight: 100 } };
    const { prevHash, hash: _oldHash, ...content } = edited;
    chain[1] = { ...edited, hash: auditHash(prevHash, content) };
    const result = await findFirstChainBreak(chain);
    expect(result.firstBreak).toMatchObject({ seq: "3", reason: "prev_hash_mismatch" });
  });
});
