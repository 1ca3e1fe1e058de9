import { z } from "zod";
import valid from "semver/functions/valid.js";
import validRange from "semver/ranges/valid.js";
import { versionSchema } from "@/lib/protocol";

/**
 * Why `value` is not an exact version, or null when it is. `versionSchema` from the node-agent
 * protocol stays the authority (a release becomes a lock handed to real installers); this only
 * turns its single message into one that names the mistake and the fix, because a range or a
 * leading "v" is the usual slip in a hand-written manifest.
 */
export function exactVersionProblem(value: string): string | null {
  if (versionSchema.safeParse(value).success) return null;
  const quoted = JSON.stringify(value);
  if (value.trim() === "") return "must be an exact semver version like 2026.11.2";
  if (value.trim() !== value) return `${quoted} has surrounding whitespace; write ${value.trim()}`;
  const withoutV = value.replace(/^v(?=\d)/, "");
  if (withoutV !== value && valid(withoutV) === withoutV) return `${quoted} has a leading "v"; write ${withoutV}`;
  const withoutBuild = value.replace(/\+.*$/, "");
  if (withoutBuild !== value && valid(withoutBuild) === withoutBuild) {
    return `${quoted} has build metadata, which installers ignore; write ${withoutBuild}`;
  }
  const pinned = value.replace(/^(?:\^|~|=|>=)\s*/, "");
  if (validRange(value) !== null) {
    const example = pinned !== value && valid(pinned) === pinned ? pinned : "2026.11.2";
    return `${quoted} is a version range; a release pins exact versions (e.g. ${example})`;
  }
  if (/^[a-z][a-z0-9-]*$/i.test(value)) return `${quoted} is a tag that moves; pin an exact version like 2026.11.2`;
  return `${quoted} must be an exact semver version like 2026.11.2`;
}

/** An exact semver version with a message that says what is wrong with anything else. */
export const exactVersionSchema = z
  .string({ error: (issue) => (issue.input === undefined ? undefined : "must be a version string like 2026.11.2 (quote it in YAML)") })
  .check((ctx) => {
    const problem = exactVersionProblem(ctx.value);
    if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
  });
