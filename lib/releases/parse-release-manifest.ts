import { parseDocument, type YAMLError } from "yaml";
import { checkJsonSyntax } from "./check-json-syntax";
import { manifestRootField } from "./release-manifest-field-errors";
import { releaseManifestLimits as limits } from "./release-manifest-limits";
import { textPosition } from "./text-position";
import { validateReleaseManifest, type ReleaseManifestResult } from "./validate-release-manifest";

export type ManifestFormat = "yaml" | "json" | "auto";

function fail(...messages: string[]): ReleaseManifestResult {
  return { ok: false, errors: { [manifestRootField]: messages } };
}

function at(text: string, offset: number, message: string): string {
  const { line, column } = textPosition(text, offset);
  return `line ${line}, column ${column}: ${message}`;
}

/** yaml's messages sometimes carry their own position and a source excerpt; keep the sentence. */
function yamlMessage(text: string, error: YAMLError): string {
  const sentence = (error.message.split("\n")[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, "");
  // yaml's parser recurses and reports its own stack overflow as a syntax error.
  if (/call stack/i.test(sentence)) return at(text, error.pos[0], "nested too deeply to read");
  return at(text, error.pos[0], sentence);
}

function parseJson(text: string): { value: unknown } | { errors: string[] } {
  const problem = checkJsonSyntax(text);
  if (problem) return { errors: [at(text, problem.offset, problem.message)] };
  return { value: JSON.parse(text) as unknown };
}

function parseYaml(text: string): { value: unknown } | { errors: string[] } {
  const document = parseDocument(text, {
    version: "1.2",
    // The YAML 1.2 core schema only: no custom tags, no !!binary/!!timestamp/!!set, no "<<" merges.
    schema: "core",
    customTags: [],
    merge: false,
    uniqueKeys: true,
    prettyErrors: false,
  });
  // Warnings are errors here: the usual one is an unresolved tag (`!!js/function …`), which yaml
  // would otherwise quietly turn into a plain string.
  const problems = [...document.errors, ...document.warnings];
  if (problems.length > 0) return { errors: problems.slice(0, limits.maxSyntaxErrors).map((error) => yamlMessage(text, error)) };
  try {
    return { value: document.toJS({ maxAliasCount: limits.maxYamlAliases }) as unknown };
  } catch (error) {
    // toJS throws for an alias before its anchor and for alias expansion past maxAliasCount.
    const reason = error instanceof Error ? error.message : String(error);
    return {
      errors: [/resource exhaustion/.test(reason) ? `too many YAML aliases (at most ${limits.maxYamlAliases} expansions)` : reason],
    };
  }
}

/**
 * Parses an uploaded release manifest (YAML or JSON text) and validates it. Never throws: the
 * result is the manifest or field-level errors, with syntax errors under "manifest" as
 * "line L, column C: …". YAML is read with the core schema only (no custom tags, no merge keys)
 * and bounded alias expansion; JSON is rejected on duplicate keys. `auto` treats a document
 * whose first character is "{" as JSON, anything else as YAML.
 */
export function parseReleaseManifest(text: string, format: ManifestFormat = "auto"): ReleaseManifestResult {
  // UTF-16 length is a lower bound on UTF-8 bytes, so a huge upload is refused before encoding it.
  const bytes = text.length > limits.maxBytes ? text.length : new TextEncoder().encode(text).byteLength;
  if (bytes > limits.maxBytes) {
    return fail(`the manifest is ${Math.ceil(bytes / 1024)} KiB; the limit is ${limits.maxBytes / 1024} KiB`);
  }
  const source = text.replace(/^\uFEFF/, "");
  if (source.trim() === "") return fail("the manifest is empty");

  const resolved = format === "auto" ? (source.trimStart().startsWith("{") ? "json" : "yaml") : format;
  let parsed: { value: unknown } | { errors: string[] };
  try {
    parsed = resolved === "json" ? parseJson(source) : parseYaml(source);
  } catch (error) {
    // The yaml parser recurses; absurd nesting can exhaust the stack.
    if (error instanceof RangeError) return fail("the manifest is nested too deeply to read");
    throw error;
  }
  if ("errors" in parsed) return fail(...parsed.errors);
  return validateReleaseManifest(parsed.value);
}
