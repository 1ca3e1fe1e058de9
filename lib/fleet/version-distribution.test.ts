import { describe, expect, it } from "vitest";
import { versionDistribution } from "./version-distribution";

describe("versionDistribution", () => {
  it("counts nodes and canaries per version, newest first by semver, unknown last", () => {
    const result = versionDistribution([
      { coreVersion: "2026.9.1", role: "stable" },
      { coreVersion: "2026.11.2", role: "canary" },
      { coreVersion: null, role: "witness" },
      { coreVersion: "2026.9.1", role: "stable" },
      { coreVersion: "2026.10.0", role: "stable" },
      { coreVersion: "2026.11.2", role: "stable" },
    ]);
    expect(result).toEqual([
      { version: "2026.11.2", nodes: 2, canaries: 1 },
      { version: "2026.10.0", nodes: 1, canaries: 0 },
      { version: "2026.9.1", nodes: 2, canaries: 0 },
      { version: "unknown", nodes: 1, canaries: 0 },
    ]);
  });

  it("returns nothing for an empty fleet", () => {
    expect(versionDistribution([])).toEqual([]);
  });
});
