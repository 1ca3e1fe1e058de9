import { describe, expect, it } from "vitest";
import { readinessReportSchema, type ActionName } from "@/lib/protocol";
import { buildDoctorReport } from "./build-doctor-report";
import { buildReadinessReport, type ReadinessInput } from "./build-readiness-report";
import { buildWebhookDigest } from "./build-webhook-digest";

const now = new Date("2026-11-23T10:00:00.000Z");
const lock = { core: "2026.11.3", plugins: { "openclaw-slack": "3.2.0" } };

function input(activeOperation: ReadinessInput["activeOperation"]): ReadinessInput {
  return {
    node: { name: "gw-1", driver: "sim" },
    snapshot: {
      installed: { core: lock.core, plugins: lock.plugins },
      pluginTree: [{ name: "openclaw-slack", version: "3.2.0", peer: "^2026.0.0", peerOk: true }],
      lockfile: { lock, sha256: "a".repeat(64) },
      configHash: "b".repeat(64),
    },
    doctor: buildDoctorReport({ checks: [{ id: "config", status: "ok", message: "config parses" }], version: lock.core, now }),
    queue: { depth: 0, inFlight: 0, oldestAgeMs: 0, completedRetained: 0, processingRatePerSec: 0, generatedAt: now.toISOString() },
    webhooks: buildWebhookDigest({ received: 0, failed: 0, byEvent: {}, lastReceivedAt: null }, 300, now),
    lb: { weight: 50, drained: false },
    capabilities: null,
    activeOperation,
    now,
  };
}

describe("buildReadinessReport", () => {
  it("is ready with nothing in flight, and the document passes the wire schema", () => {
    const report = buildReadinessReport(input(null));
    expect(report.ready).toBe(true);
    expect(report.activeOperationId).toBeNull();
    expect(readinessReportSchema.safeParse(report).success).toBe(true);
  });

  it.each<ActionName>(["upgrade", "restart", "rollback"])("is not ready while %s changes the node's software", (action) => {
    const report = buildReadinessReport(input({ id: "op_1", action }));
    expect(report.ready).toBe(false);
    expect(report.reasons).toEqual([{ code: "operation_running", message: `operation op_1 (${action}) is changing this node` }]);
    expect(report.activeOperationId).toBe("op_1");
  });

  // A rollout widens one node while the gate reads its already-upgraded peers: a peer's weight
  // change must not read as "not ready" and fail that gate.
  it.each<ActionName>(["drain", "undrain", "set-weight"])(
    "stays ready while %s only moves traffic, and still names the operation",
    (action) => {
      const report = buildReadinessReport(input({ id: "op_2", action }));
      expect(report.ready).toBe(true);
      expect(report.reasons).toEqual([]);
      expect(report.activeOperationId).toBe("op_2");
    },
  );

  it("gives the same probe hash whatever is in flight (the probe covers software, not operations)", () => {
    const idle = buildReadinessReport(input(null));
    const upgrading = buildReadinessReport(input({ id: "op_3", action: "upgrade" }));
    expect(upgrading.ready_probe_sha256).toBe(idle.ready_probe_sha256);
  });

  it("carries the latest capability run, and is not ready only when a check failed outright", () => {
    const capabilities = {
      score: 0.61,
      checkedAt: now.toISOString(),
      checks: [
        { id: "tool-roundtrip", kind: "tool_call_round_trip" as const, ok: true, score: 0.85, durationMs: 900, detail: "34/40" },
        { id: "long-work", kind: "long_work_delivery" as const, ok: false, score: 0, durationMs: 8000, detail: "report never delivered" },
      ],
    };
    const failing = buildReadinessReport({ ...input(null), capabilities });
    expect(failing.capabilities).toEqual(capabilities);
    expect(failing.ready).toBe(false);
    expect(failing.reasons).toEqual([
      { code: "capability_failed", message: "1 of 2 capability checks failed: long-work (report never delivered)" },
    ]);
    // A low score alone is the canary judge's call, not readiness's.
    const [first] = capabilities.checks;
    const low = buildReadinessReport({
      ...input(null),
      capabilities: { ...capabilities, score: 0.5, checks: [{ ...first!, score: 0.5 }] },
    });
    expect(low.ready).toBe(true);
    expect(readinessReportSchema.safeParse(low).success).toBe(true);
    // The capability run is not part of the probe: healthy peers score differently.
    expect(low.ready_probe_sha256).toBe(buildReadinessReport(input(null)).ready_probe_sha256);
  });
});
