import canonicalize from "canonicalize";
import { sha256Hex } from "@/lib/protocol";
import { releaseManifestSchema, type ReleaseManifest } from "./release-manifest-schema";

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The exact text a release hash covers: RFC 8785 (JCS) canonical JSON of the manifest, with
 * `prompts` sorted by id, `tools` by name and `capabilityChecks` by id. Those lists are sets (ids
 * and names are unique) so their order carries no meaning; `config.routing.rules` keeps its order, because the first
 * matching rule wins. Re-validates first, so only fields the schema defines are ever hashed,
 * whatever extra properties a caller's object may carry.
 */
export function releaseManifestCanonicalJson(manifest: ReleaseManifest): string {
  const parsed = releaseManifestSchema.safeParse(manifest);
  if (!parsed.success) throw new TypeError(`releaseManifestCanonicalJson: not a valid release manifest (${parsed.error.message})`);
  const normalized: ReleaseManifest = {
    ...parsed.data,
    prompts: parsed.data.prompts.toSorted((a, b) => byCodeUnits(a.id, b.id)),
    tools: parsed.data.tools.toSorted((a, b) => byCodeUnits(a.name, b.name)),
  };
  if (parsed.data.capabilityChecks) normalized.capabilityChecks = parsed.data.capabilityChecks.toSorted((a, b) => byCodeUnits(a.id, b.id));
  const text = canonicalize(normalized);
  if (text === undefined) throw new TypeError("releaseManifestCanonicalJson: manifest cannot be encoded");
  return text;
}

/**
 * The release's identity: lowercase hex SHA-256 of `releaseManifestCanonicalJson`. Equal for
 * equal manifests whatever their key order and whether they were uploaded as YAML or JSON, so it
 * can be recomputed anywhere (agent, CLI, another language) to prove what a node was told to run.
 */
export function releaseManifestSha256(manifest: ReleaseManifest): string {
  return sha256Hex(releaseManifestCanonicalJson(manifest));
}
