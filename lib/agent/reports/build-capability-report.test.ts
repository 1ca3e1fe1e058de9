import { describe, expect, it } from "vitest";
import { capabilityReportSchema, type CapabilityCheck, type CapabilityCheckResult } from "@/lib/protocol";
import { buildCapabilityReport, capabilityReasons } from "./build-capability-report";

const now = new Date("2026-12-01T12:00:00.000Z");
const checks: CapabilityCheck[] = [
  { id: "tool-roundtrip", kind: "tool_call_round_trip", weight: 3 },
  { id: "memory-anchor", kind: "memory_lookup" },
];
const result = (id: string, score: number, ok = true): CapabilityCheckResult => ({
  id,
  kind: id === "memory-anchor" ? "memory_lookup" : "tool_call_round_trip",
  ok,
  score,
  durationMs: 500,
  detail: "probe",
});

describe("buildCapabilityReport", () => {
  it("weights each check's score (default weight 1) and passes the wire schema", () => {
    const report = buildCapabilityReport({
      run: { checks, results: [result("tool-roundtrip", 0.9), result("memory-anchor", 0.5)], checkedAt: now },
      requested: null,
      now,
    });
    expect(report).toEqual({
      score: (3 * 0.9 + 0.5) / 4,
      checks: [result("tool-roundtrip", 0.9), result("memory-anchor", 0.5)],
      checkedAt: now.toISOString(),
    });
    expect(capabilityReportSchema.parse(report)).toEqual(report);
    expect(capabilityReasons(report)).toEqual([]);
  });

  it("counts a requested check the driver did not report as failed, so none can be skipped", () => {
    const report = buildCapabilityReport({
      run: { checks, results: [result("tool-roundtrip", 1)], checkedAt: now },
      requested: checks,
      now,
    });
    expect(report?.checks[1]).toEqual({
      id: "memory-anchor",
      kind: "memory_lookup",
      ok: false,
      score: 0,
      durationMs: 0,
      detail: "not run: the driver did not report this check",
    });
    expect(report?.score).toBe(0.75);
    expect(capabilityReasons(report)).toEqual([
      {
        code: "capability_failed",
        message: "1 of 2 capability checks failed: memory-anchor (not run: the driver did not report this check)",
      },
    ]);
  });

  it("fails every requested check when the driver cannot run any, and is null when nothing was asked or run", () => {
    const report = buildCapabilityReport({ run: null, requested: checks, now });
    expect(report?.checks.map((check) => [check.id, check.ok, check.detail])).toEqual([
      ["tool-roundtrip", false, "not run: this node's driver cannot run capability checks"],
      ["memory-anchor", false, "not run: this node's driver cannot run capability checks"],
    ]);
    expect(report).toMatchObject({ score: 0, checkedAt: now.toISOString() });
    expect(buildCapabilityReport({ run: null, requested: null, now })).toBeNull();
    expect(buildCapabilityReport({ run: null, requested: [], now })).toBeNull();
  });

  it("appends a driver's own probes with weight 1 and keeps the first of duplicate results", () => {
    const own = { ...result("browser-open", 0.6), kind: "tool_call_round_trip" as const };
    const report = buildCapabilityReport({
      run: { checks: [], results: [own, { ...own, score: 0 }, result("memory-anchor", 1)], checkedAt: now },
      requested: null,
      now,
    });
    expect(report?.checks.map((check) => check.id)).toEqual(["browser-open", "memory-anchor"]);
    expect(report?.score).toBe(0.8);
  });
});
