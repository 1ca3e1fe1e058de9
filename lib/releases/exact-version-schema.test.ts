import { describe, expect, it } from "vitest";
import { exactVersionProblem, exactVersionSchema } from "./exact-version-schema";

describe("exactVersionProblem", () => {
  it.each(["2026.11.2", "1.0.0", "1.4.0-beta.1"])("accepts %s", (version) => {
    expect(exactVersionProblem(version)).toBeNull();
  });

  it.each([
    ["^2026.11.0", '"^2026.11.0" is a version range; a release pins exact versions (e.g. 2026.11.0)'],
    ["~1.2.3", '"~1.2.3" is a version range; a release pins exact versions (e.g. 1.2.3)'],
    ["1.x", '"1.x" is a version range; a release pins exact versions (e.g. 2026.11.2)'],
    ["2026.11", '"2026.11" is a version range; a release pins exact versions (e.g. 2026.11.2)'],
    [">=1.0.0 <2", '">=1.0.0 <2" is a version range; a release pins exact versions (e.g. 2026.11.2)'],
    ["latest", '"latest" is a tag that moves; pin an exact version like 2026.11.2'],
    ["v1.2.3", '"v1.2.3" has a leading "v"; write 1.2.3'],
    ["1.2.3+build.5", '"1.2.3+build.5" has build metadata, which installers ignore; write 1.2.3'],
    [" 1.2.3", '" 1.2.3" has surrounding whitespace; write 1.2.3'],
    ["", "must be an exact semver version like 2026.11.2"],
    ["01.2.3", '"01.2.3" must be an exact semver version like 2026.11.2'],
  ])("refuses %j: %s", (version, message) => {
    expect(exactVersionProblem(version)).toBe(message);
  });
});

describe("exactVersionSchema", () => {
  it("gives one message per bad version, and says to quote numbers that YAML read as floats", () => {
    expect(exactVersionSchema.safeParse("1.0").error?.issues.map((issue) => issue.message)).toEqual([
      '"1.0" is a version range; a release pins exact versions (e.g. 2026.11.2)',
    ]);
    expect(exactVersionSchema.safeParse(2026.11).error?.issues.map((issue) => issue.message)).toEqual([
      "must be a version string like 2026.11.2 (quote it in YAML)",
    ]);
  });
});
