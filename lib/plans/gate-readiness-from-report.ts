import type { ReadinessReport } from "@/lib/protocol/readiness-report-schema";
import type { GateReadiness } from "./evaluate-widen-gate";

/**
 * Picks what the widen gate reads out of an agent's readiness report (already zod-parsed by the
 * agent client). Freshness uses `fetchedAt` from the dashboard's clock, not the report's
 * `generatedAt`: agents' clocks drift, and the gate compares against the dashboard's `now`.
 */
export function gateReadinessFromReport(report: ReadinessReport, fetchedAt: Date): GateReadiness {
  return {
    fetchedAt,
    core: report.installed.core,
    probeSha256: report.ready_probe_sha256,
    ready: report.ready,
    reasons: report.reasons.map(({ code, message }) => ({ code, message })),
  };
}
