import { describe, expect, it } from "vitest";
import { exampleManifests } from "./example-manifests";
import { releaseManifestSchema } from "./release-manifest-schema";

// Field-level behaviour (paths and messages for every rule) is covered through
// validateReleaseManifest; these pin what callers of the bare schema get.
describe("releaseManifestSchema", () => {
  it("parses the examples to equal data", () => {
    for (const manifest of Object.values(exampleManifests))
      expect(releaseManifestSchema.parse(structuredClone(manifest))).toEqual(manifest);
  });

  it("rejects unknown keys as an unrecognized_keys issue with the allowed fields in the message", () => {
    const result = releaseManifestSchema.safeParse({ ...exampleManifests.stable, nmae: "x" });
    expect(result.error?.issues).toEqual([
      {
        code: "unrecognized_keys",
        keys: ["nmae"],
        path: [],
        message:
          'unknown field "nmae" (did you mean "name"?); allowed here: name, replaces, notes, core, plugins, model, prompts, tools, memorySchema, config, capabilityChecks',
      },
    ]);
  });

  it("checks the name against the core only once both are valid, so one mistake gives one message", () => {
    const result = releaseManifestSchema.safeParse({ ...exampleManifests.stable, core: "latest" });
    expect(result.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      ["core", '"latest" is a tag that moves; pin an exact version like 2026.11.2'],
    ]);
  });
});
