import compare from "semver/functions/compare.js";
import diff from "semver/functions/diff.js";
import type { CapabilityCheckPin, MemorySchema, PromptPin, ReleaseConfig, ReleaseManifest, ToolPin } from "./release-manifest-schema";

/** How far apart two versions are; pre-release steps (premajor, …) count as their level. */
export type VersionBump = "major" | "minor" | "patch" | "prerelease";

export type VersionChange = { from: string; to: string; bump: VersionBump; direction: "upgrade" | "downgrade" };

export type ValueChange<T> = { from: T; to: T };

export type ConfigValue = string | number | boolean;

export type ConfigChange =
  | { path: string; kind: "added"; after: ConfigValue }
  | { path: string; kind: "removed"; before: ConfigValue }
  | { path: string; kind: "changed"; before: ConfigValue; after: ConfigValue };

export type ReleaseManifestDiff = {
  /** False when the two manifests are equal in every field (their hashes are then equal too). */
  changed: boolean;
  metadata: Array<{ field: "name" | "replaces" | "notes" } & ValueChange<string | null>>;
  core: VersionChange | null;
  plugins: {
    added: Array<{ name: string; version: string }>;
    removed: Array<{ name: string; version: string }>;
    changed: Array<{ name: string } & VersionChange>;
  };
  model: Array<{ slot: "primary" | "fallback" } & ValueChange<string | null>>;
  prompts: {
    added: PromptPin[];
    removed: PromptPin[];
    changed: Array<{ id: string } & ValueChange<string>>;
  };
  tools: {
    added: ToolPin[];
    removed: ToolPin[];
    changed: Array<{ name: string; version: VersionChange | null; schemaSha256: ValueChange<string> | null }>;
  };
  memorySchema: ValueChange<MemorySchema> | null;
  /** By id; a check changes when its kind, description, weight or timeout does. Absent = none. */
  capabilityChecks: {
    added: CapabilityCheckPin[];
    removed: CapabilityCheckPin[];
    changed: Array<{ id: string } & ValueChange<CapabilityCheckPin>>;
  };
  /** Leaf settings by flattened path ("rateLimits.default.requestsPerMinute", "routing.rules.0.agent"). */
  config: ConfigChange[];
};

export type DiffReleaseManifestsOptions = { from: ReleaseManifest; to: ReleaseManifest };

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** null for equal versions; `to` older than `from` is a downgrade of the same size. */
export function versionChange(from: string, to: string): VersionChange | null {
  const level = diff(from, to);
  if (level === null) return null;
  const bump: VersionBump =
    level === "prerelease"
      ? "prerelease"
      : level === "major" || level === "premajor"
        ? "major"
        : level === "minor" || level === "preminor"
          ? "minor"
          : "patch";
  return { from, to, bump, direction: compare(to, from) > 0 ? "upgrade" : "downgrade" };
}

/** Added / removed / common keys of two maps, each sorted, so every list below is deterministic. */
function keyDiff<V>(before: Map<string, V>, after: Map<string, V>) {
  const sorted = (keys: Iterable<string>) => [...keys].sort(byCodeUnits);
  return {
    added: sorted([...after.keys()].filter((key) => !before.has(key))),
    removed: sorted([...before.keys()].filter((key) => !after.has(key))),
    common: sorted([...after.keys()].filter((key) => before.has(key))),
  };
}

function diffPlugins(from: ReleaseManifest["plugins"], to: ReleaseManifest["plugins"]): ReleaseManifestDiff["plugins"] {
  const before = new Map(Object.entries(from));
  const after = new Map(Object.entries(to));
  const keys = keyDiff(before, after);
  return {
    added: keys.added.map((name) => ({ name, version: after.get(name) ?? "" })),
    removed: keys.removed.map((name) => ({ name, version: before.get(name) ?? "" })),
    changed: keys.common.flatMap((name) => {
      const change = versionChange(before.get(name) ?? "", after.get(name) ?? "");
      return change ? [{ name, ...change }] : [];
    }),
  };
}

function diffPrompts(from: PromptPin[], to: PromptPin[]): ReleaseManifestDiff["prompts"] {
  const before = new Map(from.map((prompt) => [prompt.id, prompt]));
  const after = new Map(to.map((prompt) => [prompt.id, prompt]));
  const keys = keyDiff(before, after);
  return {
    added: keys.added.flatMap((id) => after.get(id) ?? []),
    removed: keys.removed.flatMap((id) => before.get(id) ?? []),
    changed: keys.common.flatMap((id) => {
      const was = before.get(id)?.sha256 ?? "";
      const now = after.get(id)?.sha256 ?? "";
      return was === now ? [] : [{ id, from: was, to: now }];
    }),
  };
}

function diffTools(from: ToolPin[], to: ToolPin[]): ReleaseManifestDiff["tools"] {
  const before = new Map(from.map((tool) => [tool.name, tool]));
  const after = new Map(to.map((tool) => [tool.name, tool]));
  const keys = keyDiff(before, after);
  return {
    added: keys.added.flatMap((name) => after.get(name) ?? []),
    removed: keys.removed.flatMap((name) => before.get(name) ?? []),
    changed: keys.common.flatMap((name) => {
      const was = before.get(name);
      const now = after.get(name);
      if (!was || !now) return [];
      const version = versionChange(was.version, now.version);
      const schemaSha256 = was.schemaSha256 === now.schemaSha256 ? null : { from: was.schemaSha256, to: now.schemaSha256 };
      return version || schemaSha256 ? [{ name, version, schemaSha256 }] : [];
    }),
  };
}

function sameCheck(a: CapabilityCheckPin, b: CapabilityCheckPin): boolean {
  return a.kind === b.kind && a.description === b.description && a.weight === b.weight && a.timeoutMs === b.timeoutMs;
}

function diffCapabilityChecks(from: CapabilityCheckPin[], to: CapabilityCheckPin[]): ReleaseManifestDiff["capabilityChecks"] {
  const before = new Map(from.map((check) => [check.id, check]));
  const after = new Map(to.map((check) => [check.id, check]));
  const keys = keyDiff(before, after);
  return {
    added: keys.added.flatMap((id) => after.get(id) ?? []),
    removed: keys.removed.flatMap((id) => before.get(id) ?? []),
    changed: keys.common.flatMap((id) => {
      const was = before.get(id);
      const now = after.get(id);
      return was && now && !sameCheck(was, now) ? [{ id, from: was, to: now }] : [];
    }),
  };
}

type Segment = string | number;

/** Leaves of the config as [path segments, value]; array positions are numeric segments. */
function flatten(value: unknown, path: Segment[], into: Map<string, { segments: Segment[]; value: ConfigValue }>): void {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    into.set(path.join("."), { segments: path, value });
  } else if (Array.isArray(value)) {
    value.forEach((element, index) => flatten(element, [...path, index], into));
  } else if (typeof value === "object" && value !== null) {
    for (const [key, member] of Object.entries(value)) flatten(member, [...path, key], into);
  }
}

// Segment-wise, numbers numerically: "routing.rules.2" sorts before "routing.rules.10".
function compareSegments(a: Segment[], b: Segment[]): number {
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    const x = a[index];
    const y = b[index];
    if (x === y || x === undefined || y === undefined) continue;
    if (typeof x === "number" && typeof y === "number") return x - y;
    return byCodeUnits(String(x), String(y));
  }
  return a.length - b.length;
}

function diffConfig(from: ReleaseConfig, to: ReleaseConfig): ConfigChange[] {
  const before = new Map<string, { segments: Segment[]; value: ConfigValue }>();
  const after = new Map<string, { segments: Segment[]; value: ConfigValue }>();
  flatten(from, [], before);
  flatten(to, [], after);
  const changes: Array<{ segments: Segment[]; change: ConfigChange }> = [];
  for (const [path, leaf] of after) {
    const old = before.get(path);
    if (old === undefined) changes.push({ segments: leaf.segments, change: { path, kind: "added", after: leaf.value } });
    else if (old.value !== leaf.value)
      changes.push({ segments: leaf.segments, change: { path, kind: "changed", before: old.value, after: leaf.value } });
  }
  for (const [path, leaf] of before) {
    if (!after.has(path)) changes.push({ segments: leaf.segments, change: { path, kind: "removed", before: leaf.value } });
  }
  return changes.sort((a, b) => compareSegments(a.segments, b.segments)).map(({ change }) => change);
}

function sameMemory(a: MemorySchema, b: MemorySchema): boolean {
  return a.version === b.version && a.migrationFrom === b.migrationFrom && a.additive === b.additive;
}

/**
 * What changes between two releases, section by section, for the release page and for review.
 * Every list is in a fixed order (names and ids by code units, config paths segment-wise) so the
 * same pair of manifests always renders, snapshots and audits the same way.
 */
export function diffReleaseManifests({ from, to }: DiffReleaseManifestsOptions): ReleaseManifestDiff {
  const metadata: ReleaseManifestDiff["metadata"] = [];
  for (const field of ["name", "replaces", "notes"] as const) {
    const was = from[field] ?? null;
    const now = to[field] ?? null;
    if (was !== now) metadata.push({ field, from: was, to: now });
  }
  const model: ReleaseManifestDiff["model"] = [];
  for (const slot of ["primary", "fallback"] as const) {
    const was = from.model[slot] ?? null;
    const now = to.model[slot] ?? null;
    if (was !== now) model.push({ slot, from: was, to: now });
  }
  const plugins = diffPlugins(from.plugins, to.plugins);
  const prompts = diffPrompts(from.prompts, to.prompts);
  const tools = diffTools(from.tools, to.tools);
  const memorySchema = sameMemory(from.memorySchema, to.memorySchema) ? null : { from: from.memorySchema, to: to.memorySchema };
  const core = versionChange(from.core, to.core);
  const config = diffConfig(from.config, to.config);
  const capabilityChecks = diffCapabilityChecks(from.capabilityChecks ?? [], to.capabilityChecks ?? []);

  const changed =
    metadata.length > 0 ||
    core !== null ||
    model.length > 0 ||
    memorySchema !== null ||
    config.length > 0 ||
    [plugins, prompts, tools, capabilityChecks].some(
      (section) => section.added.length + section.removed.length + section.changed.length > 0,
    );

  return { changed, metadata, core, plugins, model, prompts, tools, memorySchema, capabilityChecks, config };
}
