import { describe, expect, it } from "vitest";
import { readinessReportSchema, type ReadinessReport } from "@/lib/protocol/readiness-report-schema";
import { gateReadinessFromReport } from "./gate-readiness-from-report";

describe("gateReadinessFromReport", () => {
  it("picks core, probe, readiness and reasons, stamped with the dashboard's fetch time", () => {
    const report = {
      installed: { core: "2026.11.2", plugins: {} },
      ready: false,
      reasons: [{ code: "doctor_failed", message: "doctor check plugins failed" }],
      ready_probe_sha256: "f".repeat(64),
      generatedAt: "2020-01-01T00:00:00.000Z",
    } as unknown as ReadinessReport;
    const fetchedAt = new Date("2026-11-23T12:00:00Z");
    expect(gateReadinessFromReport(report, fetchedAt)).toEqual({
      fetchedAt,
      core: "2026.11.2",
      probeSha256: "f".repeat(64),
      ready: false,
      reasons: [{ code: "doctor_failed", message: "doctor check plugins failed" }],
    });
    // The fields it reads are the ones the wire schema names.
    expect(Object.keys(readinessReportSchema.shape)).toEqual(
      expect.arrayContaining(["installed", "ready", "reasons", "ready_probe_sha256"]),
    );
  });
});
