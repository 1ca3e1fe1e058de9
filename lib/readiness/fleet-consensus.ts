import { canonicalJson } from "@/lib/protocol/canonical-json";
import type { PeerProbeMajority } from "./merge-node-readiness";

export interface ConsensusNode {
  nodeId: string;
  name: string;
  /** What "same release" means for the vote, e.g. the installed core version. */
  releaseKey: string;
  probeSha256: string;
  /** `readyProbeParts(report)` of the same report the sha came from. */
  probeParts: Record<string, unknown>;
}

/**
 * One way a node's probe differs from the majority's. `part` is a top-level probe part ("core",
 * "configHash"), or one entry inside it: "plugins.<name>" for records, "doctor[<id>]" and
 * "pluginTree[<name>]" for lists keyed by id/name. `undefined` means that side has no such entry.
 */
export interface PartDifference {
  part: string;
  majority: unknown;
  node: unknown;
}

export interface ProbeDisagreement {
  nodeId: string;
  name: string;
  probeSha256: string;
  /**
   * Side by side against the majority's parts; empty in a group without a majority (see the
   * group's `divergentParts`), and empty when the hashes differ but the parts do not, which means
   * the parts and the hash were not taken from the same report.
   */
  differences: PartDifference[];
}

/** One part that is not unanimous in a group, with every value seen and who reported it. */
export interface DivergentPart {
  part: string;
  values: { value: unknown; nodeIds: string[] }[];
}

export interface ReleaseConsensus {
  releaseKey: string;
  nodeCount: number;
  /**
   * - `single`: one node, nobody to disagree with;
   * - `agree`: every node has the same probe;
   * - `majority`: a strict majority shares a probe and the rest disagree with it;
   * - `no_majority`: no probe is shared by more than half, so every node is flagged.
   */
  status: "single" | "agree" | "majority" | "no_majority";
  /** The strict-majority probe; null for `single` and `no_majority`. */
  majorityProbe: string | null;
  majorityCount: number;
  /** Pass this straight to `mergeNodeReadiness` for every node of the group. */
  peerProbeMajority: PeerProbeMajority;
  /** In input order. */
  disagreeing: ProbeDisagreement[];
  /** Parts that are not unanimous across the group, values in order of first appearance. */
  divergentParts: DivergentPart[];
}

/**
 * Which nodes' ready probes disagree with their peers on the same release, and in which parts.
 * Healthy peers on one release hash identically, so the odd one out is almost always the broken
 * one. A strict majority is required, like the widen gate's: with a tie nobody can be trusted as
 * the reference, so every node of the group is flagged. Feed only fresh reports: a stale hash
 * would vote for a state the node may have left. Groups come in order of first appearance.
 */
export function fleetConsensus(nodes: readonly ConsensusNode[]): ReleaseConsensus[] {
  const groups = new Map<string, ConsensusNode[]>();
  for (const node of nodes) {
    const group = groups.get(node.releaseKey);
    if (group) group.push(node);
    else groups.set(node.releaseKey, [node]);
  }
  return [...groups.entries()].map(([releaseKey, members]) => groupConsensus(releaseKey, members));
}

function groupConsensus(releaseKey: string, members: ConsensusNode[]): ReleaseConsensus {
  const counts = new Map<string, number>();
  for (const { probeSha256 } of members) counts.set(probeSha256, (counts.get(probeSha256) ?? 0) + 1);
  let majorityProbe: string | null = null;
  let majorityCount = 0;
  for (const [probe, count] of counts) {
    if (count > majorityCount) [majorityProbe, majorityCount] = [probe, count];
  }
  const divergentParts = divergent(members);
  const base = { releaseKey, nodeCount: members.length, divergentParts };

  if (members.length === 1) {
    return { ...base, status: "single", majorityProbe: null, majorityCount: 1, peerProbeMajority: null, disagreeing: [] };
  }
  if (majorityProbe === null || majorityCount * 2 <= members.length) {
    return {
      ...base,
      status: "no_majority",
      majorityProbe: null,
      majorityCount,
      peerProbeMajority: { noMajority: true, peers: members.length },
      disagreeing: members.map((node) => ({ nodeId: node.nodeId, name: node.name, probeSha256: node.probeSha256, differences: [] })),
    };
  }
  const reference = majorityProbe;
  const referenceParts = members.find((node) => node.probeSha256 === reference)?.probeParts ?? {};
  const disagreeing = members
    .filter((node) => node.probeSha256 !== reference)
    .map((node) => ({
      nodeId: node.nodeId,
      name: node.name,
      probeSha256: node.probeSha256,
      differences: partDifferences(referenceParts, node.probeParts),
    }));
  return {
    ...base,
    status: disagreeing.length === 0 ? "agree" : "majority",
    majorityProbe: reference,
    majorityCount,
    peerProbeMajority: reference,
    disagreeing,
  };
}

/**
 * Flattens probe parts one level so a diff says "doctor[disk]: ok vs warn" instead of two whole
 * check lists. Records become "part.key"; lists of objects with a string `id` (doctor checks) or
 * `name` (plugin tree) become "part[key]"; anything else stays whole. An empty record or list adds
 * nothing: against a full one, its entries show up as missing one by one, which is the useful view.
 */
function flattenParts(parts: Record<string, unknown>): Map<string, unknown> {
  const flat = new Map<string, unknown>();
  for (const [part, value] of Object.entries(parts)) {
    if (value === undefined) continue;
    const keyed = keyedEntries(value);
    if (keyed === null) {
      flat.set(part, value);
      continue;
    }
    for (const [key, entry, style] of keyed) flat.set(style === "record" ? `${part}.${key}` : `${part}[${key}]`, entry);
  }
  return flat;
}

function keyedEntries(value: unknown): [string, unknown, "record" | "list"][] | null {
  if (Array.isArray(value)) {
    const entries: [string, unknown, "list"][] = [];
    const seen = new Set<string>();
    for (const item of value as unknown[]) {
      const key = listKey(item);
      // Unkeyed or repeated keys can't be lined up one to one; compare the list whole.
      if (key === null || seen.has(key)) return null;
      seen.add(key);
      entries.push([key, item, "list"]);
    }
    return entries;
  }
  if (value !== null && typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .map(([key, entry]) => [key, entry, "record"]);
  }
  return null;
}

function listKey(item: unknown): string | null {
  if (item === null || typeof item !== "object") return null;
  const { id, name } = item as { id?: unknown; name?: unknown };
  if (typeof id === "string") return id;
  if (typeof name === "string") return name;
  return null;
}

function partDifferences(majority: Record<string, unknown>, node: Record<string, unknown>): PartDifference[] {
  const a = flattenParts(majority);
  const b = flattenParts(node);
  return orderedKeys([majority, node], [a, b])
    .filter((part) => !sameValue(a.get(part), b.get(part)))
    .map((part) => ({ part, majority: a.get(part), node: b.get(part) }));
}

function divergent(members: ConsensusNode[]): DivergentPart[] {
  // Peers with the same probe hash have the same parts (the hash is taken over them), so each
  // distinct probe is flattened and encoded once: a 1,000-node release with one probe costs one.
  const byProbe = new Map<string, { parts: Record<string, unknown>; flat: Map<string, unknown>; encoded: Map<string, string> }>();
  for (const node of members) {
    if (!byProbe.has(node.probeSha256)) {
      byProbe.set(node.probeSha256, { parts: node.probeParts, flat: flattenParts(node.probeParts), encoded: new Map() });
    }
  }
  if (byProbe.size === 1) return [];
  const distinct = [...byProbe.values()];
  const keys = orderedKeys(
    distinct.map(({ parts }) => parts),
    distinct.map(({ flat }) => flat),
  );
  const result: DivergentPart[] = [];
  for (const part of keys) {
    const values = new Map<string, { value: unknown; nodeIds: string[] }>();
    for (const node of members) {
      const probe = byProbe.get(node.probeSha256)!;
      const value = probe.flat.get(part);
      let key = probe.encoded.get(part);
      if (key === undefined) {
        key = encode(value);
        probe.encoded.set(part, key);
      }
      const entry = values.get(key);
      if (entry) entry.nodeIds.push(node.nodeId);
      else values.set(key, { value, nodeIds: [node.nodeId] });
    }
    if (values.size > 1) result.push({ part, values: [...values.values()] });
  }
  return result;
}

/**
 * Flattened keys in the order the probe lists its parts (core, plugins, lockfile, plugin tree,
 * doctor, config for `readyProbeParts`), entries within a part sorted, so a diff reads top-down
 * the same way on every node.
 */
function orderedKeys(parts: readonly Record<string, unknown>[], flats: readonly Map<string, unknown>[]): string[] {
  const topLevel = [...new Set(parts.flatMap((p) => Object.keys(p)))];
  const flatKeys = [...new Set(flats.flatMap((flat) => [...flat.keys()]))];
  const ordered = topLevel.flatMap((top) =>
    flatKeys.filter((key) => key === top || key.startsWith(`${top}.`) || key.startsWith(`${top}[`)).sort(),
  );
  // A top-level part literally named like a flattened entry ("plugins.x") would match twice.
  return [...new Set(ordered)];
}

/** Canonical JSON, so `{a,b}` and `{b,a}` are the same plugins; a missing entry differs from null. */
function encode(value: unknown): string {
  return value === undefined ? "\u0000missing" : canonicalJson(value);
}

function sameValue(a: unknown, b: unknown): boolean {
  return encode(a) === encode(b);
}
