import type { CheckStatus, DoctorCheck, DoctorReport } from "@/lib/protocol";
import { agentVersion } from "../agent-version";

const SEVERITY: Record<CheckStatus, number> = { ok: 0, warn: 1, fail: 2 };

/** Doctor checks plus the worst status among them as the overall verdict. */
export function buildDoctorReport(input: { checks: DoctorCheck[]; version: string | null; now: Date }): DoctorReport {
  const status = input.checks.reduce<CheckStatus>(
    (worst, check) => (SEVERITY[check.status] > SEVERITY[worst] ? check.status : worst),
    input.checks.length === 0 ? "warn" : "ok",
  );
  return { version: input.version, agentVersion, checks: input.checks, status, generatedAt: input.now.toISOString() };
}
