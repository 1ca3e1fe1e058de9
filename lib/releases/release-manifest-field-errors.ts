import type { z } from "zod";

/** Messages keyed by field path ("model.primary", "plugins.@openclaw/slack", "prompts.2.sha256"). */
export type FieldErrors = Record<string, string[]>;

/** The key for problems with the document as a whole: size, syntax, not being a mapping. */
export const manifestRootField = "manifest";

/** "plugins" + "@openclaw/slack" → "plugins.@openclaw/slack"; the empty path is the document. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.length === 0 ? manifestRootField : path.map(String).join(".");
}

/** Appends without duplicates, so two checks that agree do not say the same thing twice. */
export function addFieldError(errors: FieldErrors, path: string, message: string): void {
  const messages = (errors[path] ??= []);
  if (!messages.includes(message)) messages.push(message);
}

/**
 * Flattens zod issues into field errors a form or a JSON client can show next to each field.
 * Unknown keys are reported at the key's own path (that is where the typo is), bad record keys
 * likewise with the key schema's message. (A missing field says "required": see validateReleaseManifest.)
 */
export function releaseManifestFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) addFieldError(errors, fieldPath([...issue.path, key]), issue.message);
    } else if (issue.code === "invalid_key") {
      const reasons = issue.issues.map((inner) => inner.message).join("; ");
      addFieldError(errors, fieldPath(issue.path), `invalid key: ${reasons}`);
    } else {
      addFieldError(errors, fieldPath(issue.path), issue.message);
    }
  }
  return errors;
}
