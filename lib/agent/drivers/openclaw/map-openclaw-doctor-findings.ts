import type { CheckStatus, DoctorCheck } from "@/lib/protocol";
import type { OpenclawDoctorLint } from "./openclaw-cli-schemas";

/**
 * OpenClaw severity → our check status: `error` fails the check (the node is not ready),
 * `warning` warns (reported in readiness warnings, not blocking), `info` is ok. OpenClaw's own
 * `ok: false` only means "there are findings" (a fresh install has four warnings), so it does not
 * fail anything by itself.
 */
export const openclawSeverityStatus: Record<OpenclawDoctorLint["findings"][number]["severity"], CheckStatus> = {
  error: "fail",
  warning: "warn",
  info: "ok",
};

/** `openclaw doctor --lint --json` findings as doctor checks, keeping OpenClaw's checkId, message, fixHint and path. */
export function mapOpenclawDoctorFindings(report: OpenclawDoctorLint): DoctorCheck[] {
  const checks: DoctorCheck[] = report.findings.map((finding) => ({
    id: finding.checkId.slice(0, 128),
    status: openclawSeverityStatus[finding.severity],
    message: finding.message.slice(0, 2000),
    ...(finding.fixHint ? { fixHint: finding.fixHint.slice(0, 2000) } : {}),
    ...(finding.path ? { path: finding.path.slice(0, 4096) } : {}),
  }));
  // Without findings the report would hold no check at all, which our doctor reads as "unknown".
  if (checks.length === 0) {
    checks.push({
      id: "openclaw/doctor-lint",
      status: "ok",
      message: `openclaw doctor --lint: ${report.checksRun} checks ran, ${report.checksSkipped} skipped, no findings`,
    });
  }
  return checks;
}
