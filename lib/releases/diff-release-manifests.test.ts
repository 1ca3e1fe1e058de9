import { describe, expect, it } from "vitest";
import { diffReleaseManifests, versionChange } from "./diff-release-manifests";
import { exampleManifests } from "./example-manifests";
import type { ReleaseManifest } from "./release-manifest-schema";

const { stable, successor, leaky } = exampleManifests;

describe("versionChange", () => {
  it.each([
    ["2026.11.2", "2026.11.3", "patch", "upgrade"],
    ["2026.10.3", "2026.11.1", "minor", "upgrade"],
    ["2026.11.1", "2027.0.0", "major", "upgrade"],
    ["2026.11.3", "2026.11.2", "patch", "downgrade"],
    ["1.0.0-beta.1", "1.0.0-beta.2", "prerelease", "upgrade"],
    ["1.1.0", "2.0.0-rc.1", "major", "upgrade"],
  ] as const)("%s → %s is a %s %s", (from, to, bump, direction) => {
    expect(versionChange(from, to)).toEqual({ from, to, bump, direction });
  });

  it("is null for equal versions", () => {
    expect(versionChange("2026.11.2", "2026.11.2")).toBeNull();
  });
});

describe("diffReleaseManifests", () => {
  it("describes stable → successor section by section", () => {
    expect(diffReleaseManifests({ from: stable, to: successor })).toEqual({
      changed: true,
      metadata: [
        { field: "name", from: "2026.11.2-r1", to: "2026.11.3-r1" },
        { field: "replaces", from: null, to: "2026.11.2-r1" },
        { field: "notes", from: stable.notes, to: successor.notes },
      ],
      core: { from: "2026.11.2", to: "2026.11.3", bump: "patch", direction: "upgrade" },
      plugins: {
        added: [],
        removed: [],
        changed: [
          { name: "@openclaw/github", from: "2026.10.3", to: "2026.11.1", bump: "minor", direction: "upgrade" },
          { name: "@openclaw/slack", from: "2026.11.0", to: "2026.11.3", bump: "patch", direction: "upgrade" },
        ],
      },
      model: [{ slot: "fallback", from: "openai/gpt-4o-2024-08-06", to: "openai/gpt-4o-2024-11-20" }],
      prompts: {
        added: [],
        removed: [],
        changed: [{ id: "system/support", from: stable.prompts[1]?.sha256, to: successor.prompts[1]?.sha256 }],
      },
      tools: {
        added: [],
        removed: [],
        changed: [
          {
            name: "memory_search",
            version: { from: "1.0.0", to: "1.1.0", bump: "minor", direction: "upgrade" },
            schemaSha256: { from: stable.tools[2]?.schemaSha256, to: successor.tools[2]?.schemaSha256 },
          },
        ],
      },
      memorySchema: { from: { version: 3, migrationFrom: null, additive: true }, to: { version: 4, migrationFrom: 3, additive: true } },
      capabilityChecks: {
        // Sorted by id, whatever the manifest's order.
        added: [successor.capabilityChecks?.[6], successor.capabilityChecks?.[5]],
        removed: [],
        changed: [],
      },
      config: [
        { path: "permissions.tool:memory_search", kind: "added", after: "allow" },
        { path: "rateLimits.channel:slack.requestsPerMinute", kind: "changed", before: 120, after: 180 },
      ],
    });
  });

  it("describes successor → leaky as a core patch and one plugin bump with the migration dropped", () => {
    const diff = diffReleaseManifests({ from: successor, to: leaky });
    expect(diff.core).toEqual({ from: "2026.11.3", to: "2026.11.4", bump: "patch", direction: "upgrade" });
    expect(diff.plugins.changed).toEqual([
      { name: "@openclaw/memory-lancedb", from: "2026.11.1", to: "2026.11.4", bump: "patch", direction: "upgrade" },
    ]);
    expect(diff.memorySchema).toEqual({ from: successor.memorySchema, to: leaky.memorySchema });
    expect([diff.model, diff.prompts.changed, diff.tools.changed, diff.config]).toEqual([[], [], [], []]);
    expect(diff.capabilityChecks).toEqual({ added: [], removed: [], changed: [] });
  });

  it("is the mirror image when reversed: downgrades, removed instead of added", () => {
    const diff = diffReleaseManifests({ from: successor, to: stable });
    expect(diff.core).toEqual({ from: "2026.11.3", to: "2026.11.2", bump: "patch", direction: "downgrade" });
    expect(diff.config[0]).toEqual({ path: "permissions.tool:memory_search", kind: "removed", before: "allow" });
    expect(diff.metadata[1]).toEqual({ field: "replaces", from: "2026.11.2-r1", to: null });
  });

  it("reports nothing for equal manifests, whatever their key or set order", () => {
    const shuffled: ReleaseManifest = {
      ...structuredClone(stable),
      prompts: stable.prompts.toReversed(),
      tools: stable.tools.toReversed(),
      plugins: Object.fromEntries(Object.entries(stable.plugins).toReversed()),
    };
    expect(diffReleaseManifests({ from: stable, to: shuffled })).toEqual({
      changed: false,
      metadata: [],
      core: null,
      plugins: { added: [], removed: [], changed: [] },
      model: [],
      prompts: { added: [], removed: [], changed: [] },
      tools: { added: [], removed: [], changed: [] },
      memorySchema: null,
      capabilityChecks: { added: [], removed: [], changed: [] },
      config: [],
    });
  });

  it("reports capability checks added, removed and changed by id, and a manifest without any as having none", () => {
    const to = structuredClone(stable);
    to.capabilityChecks = [
      { id: "tool-roundtrip", kind: "tool_call_round_trip", weight: 3 },
      { id: "browser-open", kind: "tool_call_round_trip", weight: 1, timeoutMs: 5_000 },
      ...(stable.capabilityChecks ?? []).filter((check) => check.id !== "tool-roundtrip" && check.id !== "long-work"),
    ];
    const diff = diffReleaseManifests({ from: stable, to });
    expect(diff.changed).toBe(true);
    expect(diff.capabilityChecks.added).toEqual([{ id: "browser-open", kind: "tool_call_round_trip", weight: 1, timeoutMs: 5_000 }]);
    expect(diff.capabilityChecks.removed.map((check) => check.id)).toEqual(["long-work"]);
    expect(diff.capabilityChecks.changed).toEqual([
      { id: "tool-roundtrip", from: stable.capabilityChecks?.[0], to: { id: "tool-roundtrip", kind: "tool_call_round_trip", weight: 3 } },
    ]);

    const { capabilityChecks: _dropped, ...withoutChecks } = stable;
    const dropped = diffReleaseManifests({ from: stable, to: withoutChecks });
    expect(dropped.changed).toBe(true);
    expect(dropped.capabilityChecks.removed.map((check) => check.id)).toEqual([
      "long-work",
      "memory-anchor",
      "model-reply",
      "slack-event",
      "tool-roundtrip",
    ]);
    expect(diffReleaseManifests({ from: withoutChecks, to: withoutChecks }).changed).toBe(false);
  });

  it("lists added and removed plugins, prompts, tools and model slots in name order", () => {
    const to = structuredClone(stable);
    delete to.model.fallback;
    to.plugins = { "@openclaw/slack": "2026.11.0", "zeta-plugin": "1.0.0", "@openclaw/discord": "2026.11.0" };
    to.prompts = [...stable.prompts.slice(1), { id: "skills/billing", sha256: "1".repeat(64) }, { id: "a/first", sha256: "2".repeat(64) }];
    to.tools = stable.tools.filter((tool) => tool.name !== "exec" && tool.name !== "browser");
    to.tools.push({ name: "calendar", version: "0.1.0", schemaSha256: "3".repeat(64) });
    const diff = diffReleaseManifests({ from: stable, to });
    expect(diff.model).toEqual([{ slot: "fallback", from: "openai/gpt-4o-2024-08-06", to: null }]);
    expect(diff.plugins).toEqual({
      added: [
        { name: "@openclaw/discord", version: "2026.11.0" },
        { name: "zeta-plugin", version: "1.0.0" },
      ],
      removed: [
        { name: "@openclaw/github", version: "2026.10.3" },
        { name: "@openclaw/memory-lancedb", version: "2026.11.1" },
      ],
      changed: [],
    });
    expect(diff.prompts.added.map((prompt) => prompt.id)).toEqual(["a/first", "skills/billing"]);
    expect(diff.prompts.removed.map((prompt) => prompt.id)).toEqual(["system/main"]);
    expect(diff.tools.added.map((tool) => tool.name)).toEqual(["calendar"]);
    expect(diff.tools.removed.map((tool) => tool.name)).toEqual(["browser", "exec"]);
  });

  it("reports a tool whose schema changed without a version bump", () => {
    const to = structuredClone(stable);
    to.tools = to.tools.map((tool) => (tool.name === "exec" ? { ...tool, schemaSha256: "f".repeat(64) } : tool));
    expect(diffReleaseManifests({ from: stable, to }).tools.changed).toEqual([
      { name: "exec", version: null, schemaSha256: { from: stable.tools[1]?.schemaSha256, to: "f".repeat(64) } },
    ]);
  });

  it("flattens config changes to leaf paths, ordered segment by segment with rule indexes numerically", () => {
    const from = structuredClone(stable);
    from.config.routing.rules = Array.from({ length: 11 }, (_, index) => ({ match: { channel: `c${index}` }, agent: "main" }));
    const to = structuredClone(from);
    to.config.routing.rules[10] = { match: { channel: "c10", team: "ops" }, agent: "ops" };
    to.config.routing.rules[2] = { match: { channel: "c2" }, agent: "support" };
    to.config.routing.defaultAgent = "support";
    delete to.config.rateLimits.default?.maxConcurrent;
    to.config.permissions["tool:exec"] = "deny";
    expect(diffReleaseManifests({ from, to }).config).toEqual([
      { path: "permissions.tool:exec", kind: "changed", before: "ask", after: "deny" },
      { path: "rateLimits.default.maxConcurrent", kind: "removed", before: 8 },
      { path: "routing.defaultAgent", kind: "changed", before: "main", after: "support" },
      { path: "routing.rules.2.agent", kind: "changed", before: "main", after: "support" },
      { path: "routing.rules.10.agent", kind: "changed", before: "main", after: "ops" },
      { path: "routing.rules.10.match.team", kind: "added", after: "ops" },
    ]);
  });
});
