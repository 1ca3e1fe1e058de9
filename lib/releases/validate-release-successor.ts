import lt from "semver/functions/lt.js";
import { addFieldError, type FieldErrors } from "./release-manifest-field-errors";
import type { ReleaseManifest } from "./release-manifest-schema";

export type ReleaseSuccessorResult = {
  /** False when `errors` is not empty: the release must not be stored as the successor. */
  ok: boolean;
  errors: FieldErrors;
  /** Worth a reviewer's attention, never blocking (a deliberate downgrade is a valid release). */
  warnings: FieldErrors;
};

export type ValidateReleaseSuccessorOptions = {
  /** The release `next` follows (the newest stored one), or null when `next` is the first. */
  previous: ReleaseManifest | null;
  next: ReleaseManifest;
};

function checkMemory(previous: ReleaseManifest, next: ReleaseManifest, errors: FieldErrors): void {
  const from = previous.memorySchema.version;
  const { version, migrationFrom, additive } = next.memorySchema;
  if (version < from) {
    addFieldError(
      errors,
      "memorySchema.version",
      `goes down from ${from} to ${version}; memory schema versions never go back (to undo a migration, roll back to the previous release)`,
    );
    return;
  }
  if (version === from) {
    if (migrationFrom !== null) {
      addFieldError(
        errors,
        "memorySchema.migrationFrom",
        `must be null: the memory schema stays at version ${from}, so there is nothing to migrate`,
      );
    }
    return;
  }
  if (migrationFrom !== from) {
    addFieldError(
      errors,
      "memorySchema.migrationFrom",
      `must be ${from}, the previous release's memory schema version, to migrate to ${version} (got ${migrationFrom === null ? "null" : migrationFrom})`,
    );
  }
  if (!additive) {
    addFieldError(
      errors,
      "memorySchema.additive",
      `must be true: the migration from ${from} to ${version} must only add, so that the previous release can still read migrated memory and a rollback needs no down-migration`,
    );
  }
}

/**
 * The rules that need the previous release: the chain (`replaces` names it, the name is new),
 * memory migrations that are additive and start from the previous schema version, and warnings
 * for core and plugin downgrades. Both manifests are assumed valid (parsed by the schema).
 */
export function validateReleaseSuccessor({ previous, next }: ValidateReleaseSuccessorOptions): ReleaseSuccessorResult {
  const errors: FieldErrors = {};
  const warnings: FieldErrors = {};

  if (previous === null) {
    if (next.replaces !== undefined) {
      addFieldError(errors, "replaces", `names "${next.replaces}", but there is no previous release; leave it out for the first release`);
    }
    return { ok: Object.keys(errors).length === 0, errors, warnings };
  }

  if (next.name === previous.name) {
    addFieldError(
      errors,
      "name",
      `"${next.name}" is already the previous release's name; releases are immutable, so give this one a new name`,
    );
  }
  if (next.replaces === undefined) {
    addFieldError(errors, "replaces", `required: must name the previous release "${previous.name}"`);
  } else if (next.replaces !== previous.name) {
    addFieldError(errors, "replaces", `names "${next.replaces}", but the previous release is "${previous.name}"`);
  }

  checkMemory(previous, next, errors);

  if (lt(next.core, previous.core)) {
    addFieldError(
      warnings,
      "core",
      `downgrades core from ${previous.core} to ${next.core}; check that it can read state written by ${previous.core}`,
    );
  }
  for (const [name, version] of Object.entries(next.plugins).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const before = previous.plugins[name];
    if (before !== undefined && lt(version, before)) {
      addFieldError(warnings, `plugins.${name}`, `downgrades ${name} from ${before} to ${version}`);
    }
  }

  return { ok: Object.keys(errors).length === 0, errors, warnings };
}
