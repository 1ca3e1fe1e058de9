import { describe, expect, it } from "vitest";
import { createReplayCache } from "./create-replay-cache";

describe("createReplayCache", () => {
  it("remembers ids for the ttl, then forgets them", () => {
    let now = 1_000;
    const cache = createReplayCache({ ttlMs: 600_000, maxEntries: 10, now: () => now });
    cache.add("a", "fp-a");
    now += 599_999;
    expect(cache.get("a")?.fingerprint).toBe("fp-a");
    now += 2;
    expect(cache.get("a")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("fails closed when full instead of forgetting live ids", () => {
    let now = 0;
    const cache = createReplayCache({ ttlMs: 1_000, maxEntries: 2, now: () => now });
    expect(cache.add("a", "x")).toBe(true);
    expect(cache.add("b", "x")).toBe(true);
    expect(cache.add("c", "x")).toBe(false);
    expect(cache.get("a")).toBeDefined();
    now = 1_000;
    expect(cache.add("c", "x")).toBe(true);
  });

  it("attaches the operation created for an id", () => {
    const cache = createReplayCache({ ttlMs: 1_000, maxEntries: 2 });
    cache.add("a", "x");
    cache.attachOperation("a", "op_1");
    expect(cache.get("a")).toMatchObject({ fingerprint: "x", operationId: "op_1" });
  });

  it("restores a previous process's live ids beyond its bound (forgetting one would make it replayable)", () => {
    let now = 1_000;
    const cache = createReplayCache({ ttlMs: 1_000, maxEntries: 1, now: () => now });
    cache.restore([
      { id: "gone", fingerprint: "g", expiresAt: 1_000 },
      { id: "a", fingerprint: "fa", expiresAt: 1_500 },
      { id: "b", fingerprint: "fb", expiresAt: 1_800 },
    ]);
    expect(cache.get("gone")).toBeUndefined();
    expect(cache.get("a")?.fingerprint).toBe("fa");
    expect([...cache.live()].map((entry) => entry.id)).toEqual(["a", "b"]);
    // Full: new ids are refused until restored ones expire.
    expect(cache.add("c", "fc")).toBe(false);
    now = 1_800;
    expect([...cache.live()]).toEqual([]);
    expect(cache.add("c", "fc")).toBe(true);
  });
});
