import type { ZodError } from "zod";

/** Zod issues keyed by field path ("manifest.model.primary"), the shape forms and JSON clients show. */
export function zodFieldErrors(error: ZodError): Record<string, string[]> {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) (fieldErrors[issue.path.join(".") || "_"] ??= []).push(issue.message);
  return fieldErrors;
}
