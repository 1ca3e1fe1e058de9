import { describe, expect, it } from "vitest";
import { exampleManifests } from "./example-manifests";
import type { ReleaseManifest } from "./release-manifest-schema";
import { validateReleaseManifest } from "./validate-release-manifest";

type Loose = Record<string, unknown> & { [key: string]: unknown };

/** The stable example as loose data, changed by `mutate`, then validated; returns the errors. */
function errorsFor(mutate: (manifest: Loose & ReleaseManifest) => void): Record<string, string[]> {
  const manifest = structuredClone(exampleManifests.stable) as Loose & ReleaseManifest;
  mutate(manifest);
  const result = validateReleaseManifest(manifest);
  if (result.ok) throw new Error("expected the manifest to be rejected");
  return result.errors;
}

const ACCEPTED_MODEL =
  "pin an exact id with a date stamp (YYYYMMDD or YYYY-MM-DD, e.g. claude-sonnet-4-5-20250929 or gpt-4o-2024-08-06) " +
  "or an explicit @version (e.g. provider/model@2025-06-01)";

describe("validateReleaseManifest", () => {
  it("accepts every example manifest and returns it unchanged", () => {
    for (const manifest of Object.values(exampleManifests)) {
      expect(validateReleaseManifest(structuredClone(manifest))).toEqual({ ok: true, manifest });
    }
  });

  describe("document and unknown fields", () => {
    it("refuses a document that is not an object", () => {
      const result = validateReleaseManifest(["not", "a", "manifest"]);
      expect(result).toEqual({
        ok: false,
        errors: {
          manifest: [
            "must be an object with the fields name, replaces, notes, core, plugins, model, prompts, tools, memorySchema, config, capabilityChecks",
          ],
        },
      });
    });

    it("reports an unknown top-level field at its own path with a suggestion", () => {
      expect(errorsFor((m) => (m.plugin = {}))).toEqual({
        plugin: [
          'unknown field "plugin" (did you mean "plugins"?); allowed here: name, replaces, notes, core, plugins, model, prompts, tools, memorySchema, config, capabilityChecks',
        ],
      });
    });

    it("reports unknown nested fields at their own paths", () => {
      expect(
        errorsFor((m) => {
          (m.model as Loose).fallbak = "x";
          (m.prompts[1] as Loose).hash = "x";
          (m.config as Loose).secrets = {};
        }),
      ).toEqual({
        "model.fallbak": ['unknown field "fallbak" (did you mean "fallback"?); allowed here: primary, fallback'],
        "prompts.1.hash": ['unknown field "hash"; allowed here: id, sha256'],
        "config.secrets": ['unknown field "secrets"; allowed here: rateLimits, permissions, routing'],
      });
    });

    it("suggests only close matches: case slips and small typos, not any short name", () => {
      expect(errorsFor((m) => ((m.memorySchema as Loose).Version = 3))["memorySchema.Version"]?.[0]).toMatch(/did you mean "version"\?/);
      expect(errorsFor((m) => ((m.prompts[0] as Loose).up = 1))).toEqual({
        "prompts.0.up": ['unknown field "up"; allowed here: id, sha256'],
      });
    });

    it("names every unknown key when an object has several", () => {
      expect(errorsFor((m) => Object.assign(m.memorySchema, { up: 1, down: 2 }))).toEqual({
        "memorySchema.up": ['unknown fields "up", "down"; allowed here: version, migrationFrom, additive'],
        "memorySchema.down": ['unknown fields "up", "down"; allowed here: version, migrationFrom, additive'],
      });
    });

    it('says "required" for missing fields', () => {
      expect(
        errorsFor((m) => {
          delete (m as Loose).core;
          delete (m.model as Loose).primary;
          delete (m.memorySchema as Loose).additive;
        }),
      ).toEqual({ core: ["required"], "model.primary": ["required"], "memorySchema.additive": ["required"] });
    });

    it('refuses a "__proto__" key instead of letting it vanish', () => {
      const manifest = JSON.parse(
        JSON.stringify(exampleManifests.stable).replace('"plugins":{', '"plugins":{"__proto__":{"x":1},'),
      ) as unknown;
      expect(validateReleaseManifest(manifest)).toEqual({
        ok: false,
        errors: { "plugins.__proto__": ['"__proto__" is not allowed as a key'] },
      });
    });

    it("refuses strings that cannot be canonically encoded (lone surrogates)", () => {
      expect(errorsFor((m) => (m.notes = "broken \ud800 text"))).toEqual({
        notes: ["contains an invalid Unicode character (a lone surrogate)"],
      });
    });
  });

  describe("metadata", () => {
    it("checks the release name alphabet", () => {
      expect(errorsFor((m) => (m.name = "2026.11.2 R1"))).toEqual({
        name: ["must be 1–64 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, like 2026.11.2-r1"],
      });
    });

    it("requires the name to start with the core version", () => {
      expect(errorsFor((m) => (m.core = "2026.11.3"))).toEqual({
        name: ['must start with the core version and a hyphen, e.g. "2026.11.3-r1" for core 2026.11.3'],
      });
      // A prefix of another version is not enough: "2026.11.2" does not start "2026.11.20-…".
      expect(errorsFor((m) => (m.name = "2026.11.20-r1"))).toHaveProperty("name");
    });

    it("refuses a release that replaces itself", () => {
      expect(errorsFor((m) => (m.replaces = m.name))).toEqual({ replaces: ["a release cannot replace itself"] });
    });

    it("bounds the notes", () => {
      expect(errorsFor((m) => (m.notes = "x".repeat(4001)))).toEqual({ notes: ["must be at most 4000 characters"] });
    });
  });

  describe("core and plugins", () => {
    it("refuses a core range with a suggestion", () => {
      expect(errorsFor((m) => (m.core = "^2026.11.2"))).toEqual({
        core: ['"^2026.11.2" is a version range; a release pins exact versions (e.g. 2026.11.2)'],
      });
    });

    it("reports plugin problems at plugins.<name>", () => {
      expect(
        errorsFor((m) => {
          m.plugins["@openclaw/slack"] = "~2026.11.0";
          m.plugins["Bad Name"] = "1.0.0";
        }),
      ).toEqual({
        "plugins.@openclaw/slack": ['"~2026.11.0" is a version range; a release pins exact versions (e.g. 2026.11.0)'],
        "plugins.Bad Name": ["invalid key: must be a lowercase npm package name like @openclaw/slack"],
      });
    });

    it("bounds the number of plugins", () => {
      expect(
        errorsFor((m) => {
          m.plugins = Object.fromEntries(Array.from({ length: 65 }, (_, index) => [`plugin-${index}`, "1.0.0"]));
        }),
      ).toEqual({ plugins: ["at most 64 plugins"] });
    });
  });

  describe("model pins", () => {
    it("refuses floating primary and fallback ids, saying what would be accepted", () => {
      expect(
        errorsFor((m) => {
          m.model = { primary: "claude-sonnet-4", fallback: "gpt-4o-latest" };
        }),
      ).toEqual({
        "model.primary": [`"claude-sonnet-4" is an undated alias that the provider can repoint at any time; ${ACCEPTED_MODEL}`],
        "model.fallback": [`"gpt-4o-latest" points at "latest", which moves whenever the provider ships a new model; ${ACCEPTED_MODEL}`],
      });
    });

    it("allows leaving the fallback out", () => {
      const manifest = structuredClone(exampleManifests.stable);
      delete manifest.model.fallback;
      expect(validateReleaseManifest(manifest).ok).toBe(true);
    });
  });

  describe("prompts and tools", () => {
    it("checks prompt ids and hashes", () => {
      expect(
        errorsFor((m) => {
          m.prompts[0] = { id: "System Main", sha256: "C09F33A98CB9C0A4CA5A5ED3E4306DD954AFB45A79F9A053FBAB772586764DA9" };
        }),
      ).toEqual({
        "prompts.0.id": ["must be a lowercase prompt id like system/support-agent (letters, digits, . _ / -)"],
        "prompts.0.sha256": ["must be a sha256 digest: 64 lowercase hex characters"],
      });
    });

    it("refuses duplicate prompt ids at the later occurrence", () => {
      expect(errorsFor((m) => m.prompts.push({ id: "system/main", sha256: "0".repeat(64) }))).toEqual({
        "prompts.3.id": ['duplicate prompt id "system/main" (already at index 0)'],
      });
    });

    it("refuses duplicate tool names and inexact tool versions", () => {
      expect(errorsFor((m) => m.tools.push({ name: "exec", version: "1.0.4", schemaSha256: "0".repeat(64) }))).toEqual({
        "tools.4.name": ['duplicate tool name "exec" (already at index 1)'],
      });
      expect(errorsFor((m) => ((m.tools[2] as Loose).version = "1.x"))).toEqual({
        "tools.2.version": ['"1.x" is a version range; a release pins exact versions (e.g. 2026.11.2)'],
      });
    });
  });

  describe("capability checks", () => {
    const checks = (m: Loose & ReleaseManifest) => m.capabilityChecks as Loose[];

    it("fills in weight 1 and leaves the field out when a release has no checks", () => {
      const manifest = structuredClone(exampleManifests.stable) as Loose & ReleaseManifest;
      manifest.capabilityChecks = [{ id: "tool-roundtrip", kind: "tool_call_round_trip" } as never];
      expect(validateReleaseManifest(manifest)).toMatchObject({
        ok: true,
        manifest: { capabilityChecks: [{ id: "tool-roundtrip", kind: "tool_call_round_trip", weight: 1 }] },
      });
      delete manifest.capabilityChecks;
      const result = validateReleaseManifest(manifest);
      expect(result.ok && "capabilityChecks" in result.manifest).toBe(false);
    });

    it("checks ids, kinds, weights, timeouts and descriptions field by field", () => {
      expect(
        errorsFor((m) => {
          checks(m)[0] = { id: "Tool Roundtrip", kind: "tool_call", weight: 0, timeoutMs: 50.5, description: "x".repeat(501) };
          checks(m)[1] = { id: "-memory", kind: "memory_lookup", weight: "heavy", timeoutMs: 700_000 };
        }),
      ).toEqual({
        "capabilityChecks.0.id": ["must be a slug like tool-roundtrip: 1–64 lowercase letters, digits and hyphens"],
        "capabilityChecks.0.kind": [
          "must be one of tool_call_round_trip, memory_lookup, long_work_delivery, webhook_delivery, model_reply, gateway_health, plugin_compat",
        ],
        "capabilityChecks.0.weight": ["must be greater than 0"],
        "capabilityChecks.0.timeoutMs": ["must be a whole number of milliseconds"],
        "capabilityChecks.0.description": ["must be at most 500 characters"],
        "capabilityChecks.1.id": ["must be a slug like tool-roundtrip: 1–64 lowercase letters, digits and hyphens"],
        "capabilityChecks.1.weight": ["must be a number"],
        "capabilityChecks.1.timeoutMs": ["must be at most 600000 ms (10 minutes)"],
      });
    });

    it("refuses duplicate ids at the later occurrence, unknown fields, a missing kind", () => {
      expect(errorsFor((m) => checks(m).push({ id: "memory-anchor", kind: "memory_lookup" }))).toEqual({
        "capabilityChecks.5.id": ['duplicate check id "memory-anchor" (already at index 1)'],
      });
      expect(errorsFor((m) => checks(m).push({ id: "extra", kinds: "model_reply" }))).toEqual({
        "capabilityChecks.5.kind": ["required"],
        "capabilityChecks.5.kinds": [
          'unknown field "kinds" (did you mean "kind"?); allowed here: id, kind, description, weight, timeoutMs',
        ],
      });
    });

    it("bounds the count and refuses an empty list (omit the field instead)", () => {
      expect(errorsFor((m) => (m.capabilityChecks = []))).toEqual({
        capabilityChecks: ["must list at least one check; omit the field for none"],
      });
      expect(
        errorsFor((m) => {
          m.capabilityChecks = Array.from({ length: 33 }, (_, index) => ({
            id: `check-${index}`,
            kind: "model_reply" as const,
            weight: 1,
          }));
        }),
      ).toEqual({ capabilityChecks: ["at most 32 capability checks"] });
      expect(errorsFor((m) => ((m as Loose).capabilityChecks = { id: "x" }))).toEqual({ capabilityChecks: ["must be a list of checks"] });
    });
  });

  describe("memory schema", () => {
    it("requires a positive whole version", () => {
      expect(errorsFor((m) => (m.memorySchema.version = 0))).toEqual({ "memorySchema.version": ["must be a positive whole number"] });
      expect(errorsFor((m) => (m.memorySchema.version = 2.5))).toEqual({ "memorySchema.version": ["must be a whole number"] });
    });

    it("requires a migration to start below the version it migrates to", () => {
      expect(errorsFor((m) => (m.memorySchema = { version: 3, migrationFrom: 3, additive: true }))).toEqual({
        "memorySchema.migrationFrom": ["must be lower than version (3): a migration moves memory forward from an older schema"],
      });
    });

    it("refuses additive: false when there is no migration", () => {
      expect(errorsFor((m) => (m.memorySchema.additive = false))).toEqual({
        "memorySchema.additive": ["must be true when migrationFrom is null: without a migration nothing is removed"],
      });
    });

    it("accepts a non-additive migration on its own (the successor check refuses it)", () => {
      const manifest = structuredClone(exampleManifests.stable);
      manifest.memorySchema = { version: 4, migrationFrom: 3, additive: false };
      expect(validateReleaseManifest(manifest).ok).toBe(true);
    });
  });

  describe("config", () => {
    it("requires positive whole rate limits within bounds", () => {
      expect(
        errorsFor((m) => {
          m.config.rateLimits.default = { requestsPerMinute: 0, tokensPerMinute: 1.5, maxConcurrent: 10_001 };
        }),
      ).toEqual({
        "config.rateLimits.default.requestsPerMinute": ["must be a positive whole number"],
        "config.rateLimits.default.tokensPerMinute": ["must be a whole number"],
        "config.rateLimits.default.maxConcurrent": ["must be at most 10000"],
      });
    });

    it("refuses a rate-limit scope that sets nothing, and a limit given as a string", () => {
      expect(
        errorsFor((m) => {
          (m.config.rateLimits as Loose)["channel:slack"] = {};
          (m.config.rateLimits.default as Loose).requestsPerMinute = "600";
        }),
      ).toEqual({
        "config.rateLimits.channel:slack": ["must set at least one of requestsPerMinute, tokensPerMinute, maxConcurrent"],
        "config.rateLimits.default.requestsPerMinute": ["must be a whole number"],
      });
    });

    it("checks permission keys and values", () => {
      expect(
        errorsFor((m) => {
          (m.config.permissions as Loose)["tool:exec"] = "yes";
          (m.config.permissions as Loose)["Tool Exec"] = "allow";
        }),
      ).toEqual({
        "config.permissions.tool:exec": ['must be "allow", "ask" or "deny"'],
        "config.permissions.Tool Exec": [
          "invalid key: must be a lowercase key like channel:slack or tool:exec (letters, digits, . _ : / @ * -)",
        ],
      });
    });

    it("checks routing rules", () => {
      expect(
        errorsFor((m) => {
          m.config.routing.rules.push({ match: {}, agent: "Support Team" });
          m.config.routing.defaultAgent = "";
        }),
      ).toEqual({
        "config.routing.defaultAgent": ["must be a lowercase agent id like support (letters, digits, _ -)"],
        "config.routing.rules.2.match": ["must match on at least one field, e.g. channel: slack"],
        "config.routing.rules.2.agent": ["must be a lowercase agent id like support (letters, digits, _ -)"],
      });
    });

    it("refuses a config section of the wrong type", () => {
      expect(errorsFor((m) => ((m.config as Loose).routing = "main"))).toEqual({
        "config.routing": ["must be an object with the fields defaultAgent, rules"],
      });
    });
  });
});
