import { describe, expect, it } from "vitest";
import { actionSchemas } from "./action-schemas";
import { agentProtocolLimits } from "./agent-protocol-limits";
import { capabilityCheckListSchema } from "./capability-check-schema";
import { capabilityReportSchema } from "./capability-report-schema";
import { operationResultSchema } from "./operation-schema";
import { readinessReportFixture } from "./testing/readiness-report-fixture";

describe("the capability contract", () => {
  it("lets verify carry a release's checks, and refuses duplicates, unknown kinds, extra fields and too many", () => {
    const checks = [
      { id: "tool-roundtrip", kind: "tool_call_round_trip", weight: 2 },
      { id: "long-work", kind: "long_work_delivery", timeoutMs: 120_000, description: "report delivered" },
    ];
    expect(actionSchemas.verify.parse({ checks })).toEqual({ checks });
    expect(actionSchemas.verify.parse({})).toEqual({});
    const issues = (value: unknown) =>
      capabilityCheckListSchema.safeParse(value).error?.issues.map((issue) => [issue.path.join("."), issue.message]);
    expect(issues([checks[0], checks[0]])).toEqual([["1.id", 'duplicate check id "tool-roundtrip"']]);
    expect(issues([{ id: "x", kind: "vibes" }])?.[0]?.[0]).toBe("0.kind");
    expect(issues([{ id: "x", kind: "model_reply", retries: 3 }])?.[0]?.[0]).toBe("0");
    expect(issues([{ id: "Bad Id", kind: "model_reply" }])?.[0]).toEqual([
      "0.id",
      "must be a slug like tool-roundtrip: 1–64 lowercase letters, digits and hyphens",
    ]);
    const many = Array.from({ length: agentProtocolLimits.maxCapabilityChecks + 1 }, (_, index) => ({
      id: `c${index}`,
      kind: "model_reply",
    }));
    expect(capabilityCheckListSchema.safeParse(many).success).toBe(false);
  });

  it("bounds a report's scores to 0..1 and needs at least one check", () => {
    const report = {
      score: 0.9,
      checkedAt: "2026-12-01T12:00:00.000Z",
      checks: [{ id: "model-reply", kind: "model_reply", ok: true, score: 0.9, durationMs: 1500, detail: "36/40" }],
    };
    expect(operationResultSchema.parse({ ready: true, capabilities: report }).capabilities).toEqual(report);
    expect(capabilityReportSchema.safeParse({ ...report, score: 1.2 }).success).toBe(false);
    expect(capabilityReportSchema.safeParse({ ...report, checks: [] }).success).toBe(false);
  });

  it("parses readiness documents from agents that predate capabilities, as null", () => {
    // The fixture's document has no capabilities member, like a stored report from before it.
    expect(readinessReportFixture().capabilities).toBeNull();
  });
});
