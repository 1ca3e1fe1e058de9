import {
  agentProtocolLimits,
  type CapabilityCheck,
  type CapabilityCheckResult,
  type CapabilityReport,
  type ReadinessReason,
} from "@/lib/protocol";
import type { DriverCapabilities } from "../drivers/agent-driver";

export type BuildCapabilityReportInput = {
  run: DriverCapabilities | null;
  /** The checks a verify asked for; null when reporting the node's latest run. */
  requested: CapabilityCheck[] | null;
  now: Date;
};

/**
 * One capability report from what the driver ran, the same for every driver: each requested check
 * appears exactly once (one the driver did not report counts as failed: "the agent runs exactly
 * the release's checks" must not be satisfiable by skipping one), probes of the driver's own follow
 * with weight 1, and `score` is the weighted mean of the check scores. null when nothing was asked
 * and nothing ran.
 */
export function buildCapabilityReport({ run, requested, now }: BuildCapabilityReportInput): CapabilityReport | null {
  const specs = requested ?? run?.checks ?? [];
  if (run === null && specs.length === 0) return null;
  const reported = new Map<string, CapabilityCheckResult>();
  for (const result of run?.results ?? []) if (!reported.has(result.id)) reported.set(result.id, result);

  const weights = new Map<string, number>();
  const checks: CapabilityCheckResult[] = [];
  for (const spec of specs) {
    weights.set(spec.id, spec.weight ?? 1);
    checks.push(
      reported.get(spec.id) ?? {
        id: spec.id,
        kind: spec.kind,
        ok: false,
        score: 0,
        durationMs: 0,
        detail: run === null ? "not run: this node's driver cannot run capability checks" : "not run: the driver did not report this check",
      },
    );
  }
  for (const result of reported.values()) if (!weights.has(result.id)) checks.push(result);
  if (checks.length === 0) return null;

  const kept = checks.slice(0, agentProtocolLimits.maxCapabilityResults);
  let weighted = 0;
  let total = 0;
  for (const check of kept) {
    const weight = weights.get(check.id) ?? 1;
    weighted += weight * check.score;
    total += weight;
  }
  return {
    score: Math.round((weighted / total) * 10_000) / 10_000,
    checks: kept,
    checkedAt: (run?.checkedAt ?? now).toISOString(),
  };
}

/** One readiness reason naming every check that failed outright; none when all are ok. */
export function capabilityReasons(report: CapabilityReport | null): ReadinessReason[] {
  const failed = report?.checks.filter((check) => !check.ok) ?? [];
  if (failed.length === 0) return [];
  return [
    {
      code: "capability_failed",
      message: `${failed.length} of ${report?.checks.length} capability checks failed: ${failed.map((check) => `${check.id} (${check.detail})`).join("; ")}`,
    },
  ];
}
