import { z } from "zod";

// Provider ids in the wild: "claude-sonnet-4-5-20250929", "openai/gpt-4o-2024-08-06",
// "anthropic.claude-3-5-sonnet-20240620-v1:0", "ollama/llama3.1:8b@2025-06-01".
const MODEL_ID_SHAPE = /^[A-Za-z0-9][A-Za-z0-9._:/-]*(?:@[A-Za-z0-9._-]+)?$/;
const MAX_LENGTH = 200;
// A date stamp inside the id: YYYYMMDD or YYYY-MM-DD (same separator twice), not part of a longer number.
const DATE_STAMP = /(?<!\d)(\d{4})(-?)(\d{2})\2(\d{2})(?!\d)/g;
// What may follow "@": a date or a plain version number ("2025-06-01", "20250601", "1.2.0", "v3", "002").
const PIN_VERSION = /^v?\d+(?:[.-]\d+)*$/;

const ACCEPTED =
  "pin an exact id with a date stamp (YYYYMMDD or YYYY-MM-DD, e.g. claude-sonnet-4-5-20250929 or gpt-4o-2024-08-06) " +
  "or an explicit @version (e.g. provider/model@2025-06-01)";

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year < 2000 || year > 2099) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Why `id` is not an exact model pin, or null when it is. The rule: an id is exact when it
 * carries a real calendar date stamp (YYYYMMDD or YYYY-MM-DD, years 2000–2099) anywhere in it, or
 * ends in "@<version>" where the version is a date or a number ("@2025-06-01", "@1.2.0", "@002").
 * Anything that mentions "latest" is refused outright. Providers repoint undated aliases
 * ("claude-sonnet-4", "gpt-4o") to new snapshots without notice, which would change a release's
 * behaviour after it was approved, so a release may only name snapshots that never move.
 */
export function modelIdProblem(id: string): string | null {
  const quoted = JSON.stringify(id);
  if (id.length > MAX_LENGTH || !MODEL_ID_SHAPE.test(id)) {
    return `${quoted} is not a model id: use letters, digits and . _ : / - with an optional @version (at most ${MAX_LENGTH} characters), e.g. anthropic/claude-sonnet-4-5-20250929`;
  }
  if (
    id
      .toLowerCase()
      .split(/[/:@._-]/)
      .includes("latest")
  ) {
    return `${quoted} points at "latest", which moves whenever the provider ships a new model; ${ACCEPTED}`;
  }
  const at = id.indexOf("@");
  if (at !== -1) {
    const version = id.slice(at + 1);
    if (PIN_VERSION.test(version)) return null;
    return `${quoted} has "@${version}", which is not a version; after "@" use a date (2025-06-01) or a version number (1.2.0)`;
  }
  const stamps = [...id.matchAll(DATE_STAMP)];
  if (stamps.some(([, year, , month, day]) => isCalendarDate(Number(year), Number(month), Number(day)))) return null;
  const first = stamps[0];
  if (first) return `${quoted} has "${first[0]}", which is not a calendar date; ${ACCEPTED}`;
  return `${quoted} is an undated alias that the provider can repoint at any time; ${ACCEPTED}`;
}

/** A model id pinned to a snapshot that cannot change under a release (see `modelIdProblem`). */
export const modelIdSchema = z
  .string({ error: (issue) => (issue.input === undefined ? undefined : "must be a model id string") })
  .check((ctx) => {
    const problem = modelIdProblem(ctx.value);
    if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
  });
