import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { capabilityKinds } from "@/lib/protocol";
import { exampleManifests } from "./example-manifests";
import { parseReleaseManifest } from "./parse-release-manifest";
import type { CapabilityCheckPin, ReleaseManifest } from "./release-manifest-schema";
import { releaseManifestCanonicalJson, releaseManifestSha256 } from "./release-manifest-sha256";

const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
const version = fc.tuple(fc.nat(3000), fc.nat(20), fc.nat(20)).map(([a, b, c]) => `${a}.${b}.${c}`);
const modelId = fc.constantFrom(
  "anthropic/claude-sonnet-4-5-20250929",
  "openai/gpt-4o-2024-08-06",
  "provider/model@2025-06-01",
  "ollama/llama3.1:8b@1.2",
);
const key = fc.stringMatching(/^[a-z][a-z0-9:_-]{0,11}$/);
const positive = fc.integer({ min: 1, max: 10_000 });

/** Valid manifests with every optional part sometimes present, sometimes not. */
const manifestArbitrary: fc.Arbitrary<ReleaseManifest> = fc
  .record(
    {
      core: version,
      suffix: fc.stringMatching(/^r[0-9]{1,3}$/),
      replaces: fc.stringMatching(/^[0-9]{1,4}\.[0-9]{1,2}\.[0-9]{1,2}-r[0-9]$/),
      notes: fc.string({ maxLength: 60, unit: "grapheme" }),
      plugins: fc.dictionary(fc.stringMatching(/^(?:@[a-z0-9]{1,6}\/)?[a-z0-9][a-z0-9.-]{0,10}$/), version, { maxKeys: 5 }),
      model: fc.record({ primary: modelId, fallback: modelId }, { requiredKeys: ["primary"] }),
      prompts: fc.uniqueArray(fc.record({ id: fc.stringMatching(/^[a-z0-9][a-z0-9/_-]{0,15}$/), sha256: hex64 }), {
        selector: (prompt) => prompt.id,
        maxLength: 5,
      }),
      tools: fc.uniqueArray(fc.record({ name: fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/), version, schemaSha256: hex64 }), {
        selector: (tool) => tool.name,
        maxLength: 5,
      }),
      memory: fc.integer({ min: 1, max: 50 }).chain((memoryVersion) =>
        fc.record({
          version: fc.constant(memoryVersion),
          migrationFrom: memoryVersion > 1 ? fc.option(fc.integer({ min: 1, max: memoryVersion - 1 })) : fc.constant(null),
          additive: fc.boolean(),
        }),
      ),
      rateLimits: fc.dictionary(
        key,
        fc.record({ requestsPerMinute: positive, tokensPerMinute: positive, maxConcurrent: positive }, { requiredKeys: ["maxConcurrent"] }),
        { maxKeys: 4 },
      ),
      permissions: fc.dictionary(key, fc.constantFrom("allow" as const, "ask" as const, "deny" as const), { maxKeys: 4 }),
      checks: fc.uniqueArray(
        fc.record(
          {
            id: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,10}[a-z0-9]$/),
            kind: fc.constantFrom(...capabilityKinds),
            description: fc.string({ maxLength: 40, unit: "grapheme" }),
            weight: fc.integer({ min: 1, max: 100 }),
            timeoutMs: fc.integer({ min: 100, max: 600_000 }),
          },
          { requiredKeys: ["id", "kind", "weight"] },
        ),
        { selector: (check) => check.id, minLength: 1, maxLength: 4 },
      ),
      rules: fc.array(
        fc.record({
          match: fc.dictionary(fc.stringMatching(/^[a-z][a-zA-Z]{0,8}$/), fc.string({ minLength: 1, maxLength: 12 }), {
            minKeys: 1,
            maxKeys: 3,
          }),
          agent: key.map((k) => k.replace(/:/g, "_")),
        }),
        {
          maxLength: 4,
        },
      ),
    },
    { requiredKeys: ["core", "suffix", "plugins", "model", "prompts", "tools", "memory", "rateLimits", "permissions", "rules"] },
  )
  .map((parts): ReleaseManifest => {
    const manifest: ReleaseManifest = {
      name: `${parts.core}-${parts.suffix}`,
      core: parts.core,
      plugins: parts.plugins,
      model: parts.model,
      prompts: parts.prompts,
      tools: parts.tools,
      memorySchema: { ...parts.memory, additive: parts.memory.migrationFrom === null ? true : parts.memory.additive },
      config: { rateLimits: parts.rateLimits, permissions: parts.permissions, routing: { defaultAgent: "main", rules: parts.rules } },
    };
    if (parts.replaces !== undefined) manifest.replaces = parts.replaces;
    if (parts.notes !== undefined) manifest.notes = parts.notes;
    if (parts.checks !== undefined) manifest.capabilityChecks = parts.checks;
    return manifest;
  });

/** A deep copy whose object keys are in a different (seeded) order; arrays keep their order. */
function reorderKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return (value as unknown[]).map((element, index) => reorderKeys(element, seed + index + 1));
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v], index) => ({
    k,
    v,
    rank: Math.sin(seed * 7919 + index * 104729),
  }));
  entries.sort((a, b) => a.rank - b.rank);
  return Object.fromEntries(entries.map(({ k, v }) => [k, reorderKeys(v, seed + k.length)]));
}

describe("releaseManifestCanonicalJson", () => {
  it("is RFC 8785 JSON: sorted keys, no whitespace, prompts by id and tools by name", () => {
    const manifest: ReleaseManifest = {
      name: "1.2.3-r1",
      core: "1.2.3",
      plugins: { "z-plugin": "1.0.0", "@a/b": "2.0.0" },
      model: { primary: "m-20250101" },
      prompts: [
        { id: "b", sha256: "b".repeat(64) },
        { id: "a", sha256: "a".repeat(64) },
      ],
      tools: [
        { name: "web", version: "1.0.0", schemaSha256: "c".repeat(64) },
        { name: "exec", version: "1.0.0", schemaSha256: "d".repeat(64) },
      ],
      memorySchema: { version: 1, migrationFrom: null, additive: true },
      config: { rateLimits: {}, permissions: { "tool:exec": "ask" }, routing: { defaultAgent: "main", rules: [] } },
    };
    expect(releaseManifestCanonicalJson(manifest)).toBe(
      [
        '{"config":{"permissions":{"tool:exec":"ask"},"rateLimits":{},"routing":{"defaultAgent":"main","rules":[]}},',
        '"core":"1.2.3",',
        '"memorySchema":{"additive":true,"migrationFrom":null,"version":1},',
        '"model":{"primary":"m-20250101"},',
        '"name":"1.2.3-r1",',
        '"plugins":{"@a/b":"2.0.0","z-plugin":"1.0.0"},',
        `"prompts":[{"id":"a","sha256":"${"a".repeat(64)}"},{"id":"b","sha256":"${"b".repeat(64)}"}],`,
        `"tools":[{"name":"exec","schemaSha256":"${"d".repeat(64)}","version":"1.0.0"},{"name":"web","schemaSha256":"${"c".repeat(64)}","version":"1.0.0"}]}`,
      ].join(""),
    );
  });

  it("refuses to hash anything the schema would not accept, including extra properties", () => {
    const extra = { ...exampleManifests.stable, secret: "x" } as ReleaseManifest;
    expect(() => releaseManifestCanonicalJson(extra)).toThrow(/not a valid release manifest/);
  });
});

describe("releaseManifestSha256", () => {
  it("is the SHA-256 of the canonical JSON", async () => {
    const expected = createHash("sha256").update(releaseManifestCanonicalJson(exampleManifests.stable)).digest("hex");
    expect(releaseManifestSha256(exampleManifests.stable)).toBe(expected);
  });

  it("tells the example releases apart", async () => {
    const hashes = Object.values(exampleManifests).map((manifest) => releaseManifestSha256(manifest));
    expect(new Set(hashes).size).toBe(3);
    for (const hash of hashes) expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("ignores the order of prompts and tools but not of routing rules", async () => {
    const base = exampleManifests.stable;
    const reordered = { ...base, prompts: base.prompts.toReversed(), tools: base.tools.toReversed() };
    expect(releaseManifestSha256(reordered)).toBe(releaseManifestSha256(base));
    const rules = {
      ...base,
      config: { ...base.config, routing: { ...base.config.routing, rules: base.config.routing.rules.toReversed() } },
    };
    expect(releaseManifestSha256(rules)).not.toBe(releaseManifestSha256(base));
  });

  it("ignores the order of capability checks, counts a default weight as written, and changes with any check", async () => {
    const base = exampleManifests.stable;
    const checks = base.capabilityChecks ?? [];
    expect(releaseManifestSha256({ ...base, capabilityChecks: checks.toReversed() })).toBe(releaseManifestSha256(base));
    const [first, ...rest] = checks as [CapabilityCheckPin, ...CapabilityCheckPin[]];
    const weightOne = { ...base, capabilityChecks: [{ ...first, weight: 1 }, ...rest] };
    // An upload that leaves weight out parses to weight 1: the same release, the same hash.
    const { weight: _weight, ...unweighted } = first;
    const omitted = { ...base, capabilityChecks: [unweighted as CapabilityCheckPin, ...rest] };
    expect(releaseManifestSha256(omitted)).toBe(releaseManifestSha256(weightOne));
    expect(releaseManifestSha256(weightOne)).not.toBe(releaseManifestSha256(base));
    const { capabilityChecks: _none, ...withoutChecks } = base;
    expect(releaseManifestSha256(withoutChecks)).not.toBe(releaseManifestSha256(base));
  });

  it("changes when any single value changes", async () => {
    const base = releaseManifestSha256(exampleManifests.stable);
    const bumped = structuredClone(exampleManifests.stable);
    bumped.config.rateLimits.default = { ...bumped.config.rateLimits.default, maxConcurrent: 9 };
    expect(releaseManifestSha256(bumped)).not.toBe(base);
  });

  it("is the same for a manifest, its JSON and YAML uploads in any key order (property)", async () => {
    await fc.assert(
      fc.asyncProperty(manifestArbitrary, fc.integer({ min: 1, max: 1_000_000 }), async (manifest, seed) => {
        const expected = releaseManifestSha256(manifest);
        const json = parseReleaseManifest(JSON.stringify(reorderKeys(manifest, seed), null, seed % 3), "json");
        const yaml = parseReleaseManifest(stringify(reorderKeys(manifest, seed + 1)), "yaml");
        expect(json).toEqual({ ok: true, manifest: expect.anything() as unknown });
        expect(yaml).toEqual({ ok: true, manifest: expect.anything() as unknown });
        if (!json.ok || !yaml.ok) return;
        expect(yaml.manifest).toEqual(manifest);
        expect(releaseManifestSha256(json.manifest)).toBe(expected);
        expect(releaseManifestSha256(yaml.manifest)).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });
});
