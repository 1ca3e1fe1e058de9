import { addFieldError, fieldPath, releaseManifestFieldErrors, type FieldErrors } from "./release-manifest-field-errors";
import { releaseManifestSchema, type ReleaseManifest } from "./release-manifest-schema";

export type ReleaseManifestResult = { ok: true; manifest: ReleaseManifest } | { ok: false; errors: FieldErrors };

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Problems zod cannot see: a "__proto__" key (zod records drop it silently, so the stored data
 * would differ from the reviewed text) and lone UTF-16 surrogates (valid in JSON escapes, but
 * RFC 8785 cannot encode them, so the manifest could never be hashed). Iterative on purpose:
 * uploads are attacker-controlled and may nest deeply.
 */
function findUnencodableData(value: unknown, errors: FieldErrors): void {
  // Each entry links to its parent instead of copying its path, so a deeply nested upload costs
  // linear rather than quadratic time; paths are only built for the rare error.
  type Entry = { value: unknown; key: PropertyKey | null; parent: Entry | null };
  const pathOf = (entry: Entry | null): PropertyKey[] => {
    const path: PropertyKey[] = [];
    for (let at = entry; at !== null && at.key !== null; at = at.parent) path.unshift(at.key);
    return path;
  };
  const pending: Entry[] = [{ value, key: null, parent: null }];
  for (let entry = pending.pop(); entry; entry = pending.pop()) {
    const current = entry.value;
    if (typeof current === "string") {
      if (LONE_SURROGATE.test(current))
        addFieldError(errors, fieldPath(pathOf(entry)), "contains an invalid Unicode character (a lone surrogate)");
    } else if (Array.isArray(current)) {
      current.forEach((element, index) => pending.push({ value: element, key: index, parent: entry }));
    } else if (typeof current === "object" && current !== null) {
      for (const [key, member] of Object.entries(current)) {
        if (key === "__proto__") addFieldError(errors, fieldPath([...pathOf(entry), key]), '"__proto__" is not allowed as a key');
        else if (LONE_SURROGATE.test(key))
          addFieldError(errors, fieldPath(pathOf(entry)), "has a key with an invalid Unicode character (a lone surrogate)");
        else pending.push({ value: member, key, parent: entry });
      }
    }
  }
}

/**
 * Checks already-parsed data (an uploaded file after YAML/JSON parsing, a JSON request body)
 * against the manifest schema and returns the manifest or field-level errors; never throws.
 */
export function validateReleaseManifest(value: unknown): ReleaseManifestResult {
  const errors: FieldErrors = {};
  findUnencodableData(value, errors);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const result = releaseManifestSchema.safeParse(value, {
    // Only for issues without a schema-level message: a missing field reads better as "required"
    // than as "expected string, received undefined".
    error: (issue) => (issue.code === "invalid_type" && issue.input === undefined ? "required" : undefined),
  });
  if (result.success) return { ok: true, manifest: result.data };
  return { ok: false, errors: releaseManifestFieldErrors(result.error.issues) };
}
