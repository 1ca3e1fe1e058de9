import { describe, expect, it } from "vitest";
import { exampleManifests } from "./example-manifests";
import type { MemorySchema, ReleaseManifest } from "./release-manifest-schema";
import { validateReleaseSuccessor } from "./validate-release-successor";

const { stable, successor, leaky } = exampleManifests;

/** The successor example with some fields replaced. */
function next(overrides: Partial<ReleaseManifest>): ReleaseManifest {
  return { ...structuredClone(successor), ...overrides };
}

function withMemory(memorySchema: MemorySchema): ReleaseManifest {
  return next({ memorySchema });
}

describe("validateReleaseSuccessor", () => {
  it("accepts the example chain without errors or warnings", () => {
    expect(validateReleaseSuccessor({ previous: stable, next: successor })).toEqual({ ok: true, errors: {}, warnings: {} });
    expect(validateReleaseSuccessor({ previous: successor, next: leaky })).toEqual({ ok: true, errors: {}, warnings: {} });
  });

  describe("replaces and name", () => {
    it("requires replaces to name the previous release", () => {
      const missing = next({});
      delete missing.replaces;
      expect(validateReleaseSuccessor({ previous: stable, next: missing })).toEqual({
        ok: false,
        errors: { replaces: ['required: must name the previous release "2026.11.2-r1"'] },
        warnings: {},
      });
      expect(validateReleaseSuccessor({ previous: stable, next: next({ replaces: "2026.11.1-r4" }) }).errors).toEqual({
        replaces: ['names "2026.11.1-r4", but the previous release is "2026.11.2-r1"'],
      });
    });

    it("refuses to reuse the previous release's name", () => {
      const again = { ...structuredClone(stable), replaces: stable.name, notes: "same name, new content" };
      expect(validateReleaseSuccessor({ previous: stable, next: again }).errors).toEqual({
        name: ['"2026.11.2-r1" is already the previous release\'s name; releases are immutable, so give this one a new name'],
      });
    });

    it("refuses replaces on the first release and accepts a first release without it", () => {
      expect(validateReleaseSuccessor({ previous: null, next: successor })).toEqual({
        ok: false,
        errors: { replaces: ['names "2026.11.2-r1", but there is no previous release; leave it out for the first release'] },
        warnings: {},
      });
      expect(validateReleaseSuccessor({ previous: null, next: stable })).toEqual({ ok: true, errors: {}, warnings: {} });
    });
  });

  describe("memory schema", () => {
    it("accepts an additive migration from the previous version, also one that skips versions", () => {
      expect(validateReleaseSuccessor({ previous: stable, next: withMemory({ version: 6, migrationFrom: 3, additive: true }) }).ok).toBe(
        true,
      );
    });

    it("refuses a version that goes down", () => {
      expect(
        validateReleaseSuccessor({ previous: stable, next: withMemory({ version: 2, migrationFrom: 1, additive: true }) }).errors,
      ).toEqual({
        "memorySchema.version": [
          "goes down from 3 to 2; memory schema versions never go back (to undo a migration, roll back to the previous release)",
        ],
      });
    });

    it("refuses a migration when the version stays the same", () => {
      expect(
        validateReleaseSuccessor({
          previous: successor,
          next: { ...leaky, memorySchema: { version: 4, migrationFrom: 3, additive: true } },
        }).errors,
      ).toEqual({
        "memorySchema.migrationFrom": ["must be null: the memory schema stays at version 4, so there is nothing to migrate"],
      });
    });

    it("requires a version change to migrate from the previous version", () => {
      expect(
        validateReleaseSuccessor({ previous: stable, next: withMemory({ version: 4, migrationFrom: null, additive: true }) }).errors,
      ).toEqual({
        "memorySchema.migrationFrom": ["must be 3, the previous release's memory schema version, to migrate to 4 (got null)"],
      });
      expect(
        validateReleaseSuccessor({ previous: stable, next: withMemory({ version: 5, migrationFrom: 4, additive: true }) }).errors,
      ).toEqual({
        "memorySchema.migrationFrom": ["must be 3, the previous release's memory schema version, to migrate to 5 (got 4)"],
      });
    });

    it("requires a migration to be additive", () => {
      expect(
        validateReleaseSuccessor({ previous: stable, next: withMemory({ version: 4, migrationFrom: 3, additive: false }) }).errors,
      ).toEqual({
        "memorySchema.additive": [
          "must be true: the migration from 3 to 4 must only add, so that the previous release can still read migrated memory and a rollback needs no down-migration",
        ],
      });
    });
  });

  describe("downgrades", () => {
    it("warns, without failing, on a core downgrade and on plugin downgrades", () => {
      const older = next({
        name: "2026.11.1-r1",
        core: "2026.11.1",
        plugins: { ...successor.plugins, "@openclaw/github": "2026.9.0", "@openclaw/slack": "2026.11.3" },
      });
      expect(validateReleaseSuccessor({ previous: stable, next: older })).toEqual({
        ok: true,
        errors: {},
        warnings: {
          core: ["downgrades core from 2026.11.2 to 2026.11.1; check that it can read state written by 2026.11.2"],
          "plugins.@openclaw/github": ["downgrades @openclaw/github from 2026.10.3 to 2026.9.0"],
        },
      });
    });

    it("treats a pre-release of the same version as a downgrade", () => {
      const pre = next({ name: "2026.11.2-rc.1-r1", core: "2026.11.2-rc.1" });
      expect(validateReleaseSuccessor({ previous: stable, next: pre }).warnings).toEqual({
        core: ["downgrades core from 2026.11.2 to 2026.11.2-rc.1; check that it can read state written by 2026.11.2"],
      });
    });
  });
});
