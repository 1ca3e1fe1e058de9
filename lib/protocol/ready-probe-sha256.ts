import { canonicalJson } from "./canonical-json";
import type { ReadinessReport } from "./readiness-report-schema";
import { sha256Hex } from "./sha256-hex";

export type ReadyProbeInput = Pick<ReadinessReport, "installed" | "lockfile" | "pluginTree" | "configHash" | "doctor">;

/**
 * The parts of a readiness report that must be identical on healthy peers running the same
 * release: versions, lockfile hash, plugin tree, doctor check ids and statuses, config hash.
 * Counters, timestamps, LB weight and node identity are left out on purpose: they differ between
 * healthy peers and would make every hash unique.
 */
export function readyProbeParts(report: ReadyProbeInput) {
  return {
    core: report.installed.core,
    plugins: report.installed.plugins,
    lockfileSha256: report.lockfile?.sha256 ?? null,
    pluginTree: [...report.pluginTree]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map(({ name, version, peer, peerOk }) => ({ name, version, peer, peerOk })),
    doctor: [...report.doctor.checks].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(({ id, status }) => ({ id, status })),
    configHash: report.configHash,
  };
}

/** sha256 over the canonical JSON of {@link readyProbeParts}; the dashboard recomputes it to compare peers. */
export function readyProbeSha256(report: ReadyProbeInput): string {
  return sha256Hex(canonicalJson(readyProbeParts(report)));
}
