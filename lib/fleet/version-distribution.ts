import semver from "semver";

export interface VersionCount {
  version: string;
  nodes: number;
  canaries: number;
}

/**
 * How many nodes run each core version, newest version first (semver order, unknown last), with
 * the canaries among them: the first question during a rollout is "how far along are we".
 */
export function versionDistribution(nodes: ReadonlyArray<{ coreVersion: string | null; role: string }>): VersionCount[] {
  const counts = new Map<string, VersionCount>();
  for (const node of nodes) {
    const version = node.coreVersion ?? "unknown";
    const entry = counts.get(version) ?? { version, nodes: 0, canaries: 0 };
    entry.nodes += 1;
    if (node.role === "canary") entry.canaries += 1;
    counts.set(version, entry);
  }
  return [...counts.values()].sort((a, b) => {
    const av = semver.valid(a.version);
    const bv = semver.valid(b.version);
    if (av && bv) return semver.rcompare(av, bv);
    if (av) return -1;
    if (bv) return 1;
    return a.version.localeCompare(b.version);
  });
}
