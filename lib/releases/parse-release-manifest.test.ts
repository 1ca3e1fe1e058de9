import { describe, expect, it } from "vitest";
import { exampleManifestYaml, exampleManifests } from "./example-manifests";
import { parseReleaseManifest } from "./parse-release-manifest";

function errorsOf(text: string, format?: "yaml" | "json" | "auto"): Record<string, string[]> {
  const result = parseReleaseManifest(text, format);
  if (result.ok) throw new Error("expected the upload to be rejected");
  return result.errors;
}

const stableJson = JSON.stringify(exampleManifests.stable, null, 2);

describe("parseReleaseManifest", () => {
  it("reads the hand-written YAML example as the successor manifest", () => {
    expect(parseReleaseManifest(exampleManifestYaml)).toEqual({ ok: true, manifest: exampleManifests.successor });
    expect(parseReleaseManifest(exampleManifestYaml, "yaml")).toEqual({ ok: true, manifest: exampleManifests.successor });
  });

  it("reads JSON, detected or declared, to the same manifest as YAML", () => {
    const json = JSON.stringify(exampleManifests.successor);
    expect(parseReleaseManifest(json)).toEqual(parseReleaseManifest(exampleManifestYaml));
    expect(parseReleaseManifest(json, "json")).toEqual({ ok: true, manifest: exampleManifests.successor });
    // JSON is valid YAML 1.2, so forcing the YAML reader on it agrees too.
    expect(parseReleaseManifest(json, "yaml")).toEqual({ ok: true, manifest: exampleManifests.successor });
  });

  it("ignores a UTF-8 byte order mark", () => {
    expect(parseReleaseManifest(`\uFEFF${stableJson}`)).toEqual({ ok: true, manifest: exampleManifests.stable });
  });

  it("refuses an upload over 256 KiB before parsing it, counting UTF-8 bytes", () => {
    const padded = `${exampleManifestYaml}# ${"x".repeat(256 * 1024)}\n`;
    expect(errorsOf(padded)).toEqual({ manifest: ["the manifest is 259 KiB; the limit is 256 KiB"] });
    // 90 000 three-byte characters: under the limit in UTF-16 units, over it in bytes.
    expect(errorsOf(`notes: ${"€".repeat(90_000)}`)).toEqual({ manifest: ["the manifest is 264 KiB; the limit is 256 KiB"] });
  });

  it("refuses an empty upload", () => {
    expect(errorsOf(" \n\t")).toEqual({ manifest: ["the manifest is empty"] });
  });

  it("gives YAML syntax errors with line and column", () => {
    const broken = exampleManifestYaml.replace(
      "  primary: anthropic/claude-sonnet-4-5-20250929",
      '  primary: "anthropic/claude-sonnet-4-5-20250929',
    );
    const errors = errorsOf(broken);
    expect(Object.keys(errors)).toEqual(["manifest"]);
    expect(errors.manifest?.[0]).toMatch(/^line 13, column \d+: Missing closing "quote/);
  });

  it("refuses duplicate YAML keys at the second occurrence", () => {
    expect(errorsOf(exampleManifestYaml.replace("core: 2026.11.3\n", "core: 2026.11.3\ncore: 2026.11.4\n"))).toEqual({
      manifest: ["line 7, column 1: Map keys must be unique"],
    });
  });

  it("gives JSON syntax errors with line and column", () => {
    const broken = stableJson.replace('"core": "2026.11.2",', '"core": "2026.11.2"');
    expect(errorsOf(broken)).toEqual({ manifest: ["line 5, column 3: expected ',' or '}' after a property value, found '\"'"] });
    expect(errorsOf('{\n  "name": ,\n}', "json")).toEqual({
      manifest: ["line 2, column 11: unexpected ',': expected a value (string, number, object, array, true, false or null)"],
    });
  });

  it("refuses duplicate JSON keys, which JSON.parse would silently resolve", () => {
    const duplicated = stableJson.replace('"core": "2026.11.2",', '"core": "2026.11.2",\n  "core": "2026.11.9",');
    expect(errorsOf(duplicated)).toEqual({ manifest: ['line 5, column 3: duplicate key "core"'] });
  });

  it("refuses custom and language-specific YAML tags instead of reading them as strings", () => {
    const errors = errorsOf(
      exampleManifestYaml
        .replace("notes: ", 'notes: !!js/function "function () {}" #')
        .replace("core: 2026.11.3", "core: !semver 2026.11.3"),
    );
    expect(errors).toEqual({
      manifest: ["line 4, column 8: Unresolved tag: tag:yaml.org,2002:js/function", "line 6, column 7: Unresolved tag: !semver"],
    });
  });

  it("bounds YAML alias expansion (billion laughs)", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
    ].join("\n");
    expect(errorsOf(bomb)).toEqual({ manifest: ["too many YAML aliases (at most 100 expansions)"] });
  });

  it("accepts a few YAML aliases for repeated values", () => {
    const yaml = exampleManifestYaml.replace(
      "    default: { requestsPerMinute: 600, tokensPerMinute: 2000000, maxConcurrent: 8 }",
      '    default: &limits { requestsPerMinute: 600, tokensPerMinute: 2000000, maxConcurrent: 8 }\n    "agent:support": *limits',
    );
    const result = parseReleaseManifest(yaml);
    expect(result.ok && result.manifest.config.rateLimits["agent:support"]).toEqual({
      requestsPerMinute: 600,
      tokensPerMinute: 2_000_000,
      maxConcurrent: 8,
    });
  });

  it("does not apply YAML merge keys: '<<' is an unknown field", () => {
    const yaml = exampleManifestYaml.replace("model:\n", "base: &base { primary: gpt-4o-2024-08-06 }\nmodel:\n  <<: *base\n");
    const errors = errorsOf(yaml);
    expect(errors["model.<<"]).toEqual(['unknown field "<<"; allowed here: primary, fallback']);
    expect(errors.base?.[0]).toMatch(/^unknown field "base"/);
  });

  it("refuses several YAML documents in one upload", () => {
    const separatorLine = exampleManifestYaml.split("\n").length;
    expect(errorsOf(`${exampleManifestYaml}---\nname: other\n`)).toEqual({
      manifest: [`line ${separatorLine}, column 1: Source contains multiple documents; please use YAML.parseAllDocuments()`],
    });
  });

  it("refuses a YAML scalar or list where the manifest mapping should be", () => {
    expect(errorsOf("just a string")).toEqual({
      manifest: [
        "must be an object with the fields name, replaces, notes, core, plugins, model, prompts, tools, memorySchema, config, capabilityChecks",
      ],
    });
  });

  it("reports schema problems of a YAML upload at field paths", () => {
    const yaml = exampleManifestYaml
      .replace("primary: anthropic/claude-sonnet-4-5-20250929", "primary: claude-sonnet-4")
      .replace('"@openclaw/slack": 2026.11.3', '"@openclaw/slack": ^2026.11.3')
      .replace("core: 2026.11.3", "core: 2026.11")
      .replace("requestsPerMinute: 180", "requestsPerMinute: -5");
    const errors = errorsOf(yaml);
    expect(Object.keys(errors).sort()).toEqual([
      "config.rateLimits.channel:slack.requestsPerMinute",
      "core",
      "model.primary",
      "plugins.@openclaw/slack",
    ]);
    expect(errors.core).toEqual(["must be a version string like 2026.11.2 (quote it in YAML)"]);
    expect(errors["plugins.@openclaw/slack"]).toEqual(['"^2026.11.3" is a version range; a release pins exact versions (e.g. 2026.11.3)']);
    expect(errors["model.primary"]?.[0]).toMatch(/^"claude-sonnet-4" is an undated alias/);
    expect(errors["config.rateLimits.channel:slack.requestsPerMinute"]).toEqual(["must be a positive whole number"]);
  });

  it("honours an explicit format: YAML text declared as JSON is a JSON syntax error", () => {
    expect(errorsOf(exampleManifestYaml, "json")).toEqual({
      manifest: ["line 1, column 1: unexpected '#': expected a value (string, number, object, array, true, false or null)"],
    });
  });

  it("survives absurdly deep nesting in either format", () => {
    const deepJson = `{"notes": ${"[".repeat(60_000)}${"]".repeat(60_000)}}`;
    expect(errorsOf(deepJson).notes).toEqual(["must be a string"]);
    const deepFlowYaml = `notes: ${"[".repeat(60_000)}${"]".repeat(60_000)}`;
    expect(errorsOf(deepFlowYaml).manifest?.[0]).toMatch(/^line 1, column \d+: nested too deeply to read$/);
    const deepBlockYaml = Array.from({ length: 700 }, (_, depth) => `${" ".repeat(depth)}a:`).join("\n");
    expect(errorsOf(deepBlockYaml).a).toEqual([
      'unknown field "a"; allowed here: name, replaces, notes, core, plugins, model, prompts, tools, memorySchema, config, capabilityChecks',
    ]);
  });
});
