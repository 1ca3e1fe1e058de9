import { readinessReportSchema, type ReadinessReport } from "../readiness-report-schema";

/**
 * A healthy readiness document from 2026-11-23T11:59:58Z (node gw-1, core 2026.11.2, probe "a"×64),
 * for tests; override any top-level part.
 */
export function readinessReportFixture(overrides: Partial<ReadinessReport> = {}): ReadinessReport {
  // Parsed, so a fixture that drifts from the wire schema fails here instead of passing by accident.
  return readinessReportSchema.parse({
    node: { name: "gw-1", driver: "sim", agentVersion: "0.4.0" },
    installed: { core: "2026.11.2", plugins: { "memory-lancedb": "1.2.0" } },
    lockfile: { core: "2026.11.2", plugins: { "memory-lancedb": "1.2.0" }, sha256: "c".repeat(64) },
    pluginTree: [{ name: "memory-lancedb", version: "1.2.0", peer: "^2026.0.0", peerOk: true }],
    configHash: "d".repeat(64),
    doctor: {
      version: "2026.11.2",
      agentVersion: "0.4.0",
      checks: [{ id: "gateway", status: "ok", message: "listening on :18789" }],
      status: "ok",
      generatedAt: "2026-11-23T11:59:58.000Z",
    },
    queue: {
      depth: 0,
      inFlight: 0,
      oldestAgeMs: 0,
      completedRetained: 0,
      processingRatePerSec: 0,
      generatedAt: "2026-11-23T11:59:58.000Z",
    },
    webhooks: {
      windowSec: 300,
      received: 0,
      failed: 0,
      byEvent: {},
      lastReceivedAt: null,
      digest: "f".repeat(64),
      generatedAt: "2026-11-23T11:59:58.000Z",
    },
    lb: { weight: 100, drained: false },
    activeOperationId: null,
    ready: true,
    reasons: [],
    warnings: [],
    ready_probe_sha256: "a".repeat(64),
    generatedAt: "2026-11-23T11:59:58.000Z",
    ...overrides,
  });
}
