import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/app-error";
import type { ReadinessReport } from "@/lib/protocol/readiness-report-schema";
import { readinessReportFixture } from "@/lib/protocol/testing/readiness-report-fixture";
import { mergeNodeReadiness, type NodeReadinessInput } from "./merge-node-readiness";

const NOW = new Date("2026-11-23T12:00:00.000Z");
const WINDOW = 60_000;
const PROBE = "a".repeat(64);
const OTHER = "b".repeat(64);

function report(overrides: Partial<ReadinessReport> = {}): ReadinessReport {
  return readinessReportFixture({ ready_probe_sha256: PROBE, ...overrides });
}

function at(msBeforeNow: number): Date {
  return new Date(NOW.getTime() - msBeforeNow);
}

function merge(overrides: Partial<NodeReadinessInput> = {}) {
  return mergeNodeReadiness({
    now: NOW,
    freshnessMs: WINDOW,
    latest: { fetchedAt: at(5_000), report: report() },
    lastError: null,
    peerProbeMajority: PROBE,
    ...overrides,
  });
}

function failing(checks: ReadinessReport["doctor"]["checks"], status: "ok" | "warn" | "fail") {
  return report({ doctor: { ...report().doctor, checks, status } });
}

describe("mergeNodeReadiness", () => {
  it("is green when fresh, doctor ok, core equals the lock, ready, and the probe matches the peers", () => {
    expect(merge()).toEqual({ color: "green", label: "ready", reasons: [], lastGoodAt: at(5_000), ageMs: 5_000 });
  });

  it("is green without peers to compare with (null majority)", () => {
    expect(merge({ peerProbeMajority: null, latest: { fetchedAt: at(0), report: report({ ready_probe_sha256: OTHER }) } })).toEqual({
      color: "green",
      label: "ready",
      reasons: [],
      lastGoodAt: NOW,
      ageMs: 0,
    });
  });

  it("is grey unknown when never polled", () => {
    expect(merge({ latest: null })).toEqual({
      color: "grey",
      label: "unknown",
      reasons: [{ code: "never_polled", message: "The collector has not polled this node yet." }],
      lastGoodAt: null,
      ageMs: null,
    });
  });

  describe("staleness", () => {
    it("is still fresh exactly at the window", () => {
      expect(merge({ latest: { fetchedAt: at(WINDOW), report: report() } })).toMatchObject({ color: "green", ageMs: WINDOW });
    });

    it("is grey stale one millisecond past the window, with the age, even if the report was all green", () => {
      expect(merge({ latest: { fetchedAt: at(WINDOW + 1), report: report() } })).toEqual({
        color: "grey",
        label: "stale",
        // Rounded for people; right at the boundary both read "1 min", and ageMs carries the truth.
        reasons: [{ code: "stale", message: "Last answer 1 min ago, older than the 1 min freshness window." }],
        lastGoodAt: at(WINDOW + 1),
        ageMs: WINDOW + 1,
      });
    });

    it("words a long staleness approximately", () => {
      const result = merge({ latest: { fetchedAt: at(42 * 60_000), report: report() } });
      expect(result.reasons).toEqual([{ code: "stale", message: "Last answer 40 min ago, older than the 1 min freshness window." }]);
      expect(result.ageMs).toBe(42 * 60_000);
    });

    it("does not hide a red report behind staleness colours: a stale red node is grey, not red", () => {
      const result = merge({ latest: { fetchedAt: at(WINDOW + 1), report: report({ ready: false }) } });
      expect([result.color, result.label]).toEqual(["grey", "stale"]);
    });

    it("refuses a report dated in the future (the caller's clocks disagree)", () => {
      expect(merge({ latest: { fetchedAt: at(-3_000), report: report() } })).toEqual({
        color: "grey",
        label: "stale",
        reasons: [{ code: "fetched_in_future", message: "The last answer is dated 3 s in the future; take `now` after fetching." }],
        lastGoodAt: at(-3_000),
        ageMs: -3_000,
      });
    });

    it("throws on a window that is not a positive duration", () => {
      expect(() => merge({ freshnessMs: 0 })).toThrow(AppError);
      expect(() => merge({ freshnessMs: Number.NaN })).toThrow("not a positive duration");
    });
  });

  describe("unreachable", () => {
    it("is grey unreachable when the latest attempt failed, with the error and the age of the last good data", () => {
      expect(
        merge({
          latest: { fetchedAt: at(30_000), report: report() },
          lastError: { at: at(2_000), code: "timeout", message: "no reply within 5000 ms" },
        }),
      ).toEqual({
        color: "grey",
        label: "unreachable",
        reasons: [{ code: "unreachable", message: "Last poll 2 s ago failed (timeout: no reply within 5000 ms); last answer 30 s ago." }],
        lastGoodAt: at(30_000),
        ageMs: 30_000,
      });
    });

    it("says so when the node never answered", () => {
      expect(merge({ latest: null, lastError: { at: at(1_000), code: "unreachable", message: "ECONNREFUSED" } })).toEqual({
        color: "grey",
        label: "unreachable",
        reasons: [{ code: "unreachable", message: "Last poll 1 s ago failed (unreachable: ECONNREFUSED); it has never answered." }],
        lastGoodAt: null,
        ageMs: null,
      });
    });

    it("ignores an error older than the latest answer, and one at the same instant", () => {
      const latest = { fetchedAt: at(5_000), report: report() };
      expect(merge({ latest, lastError: { at: at(6_000), code: "timeout", message: "x" } }).color).toBe("green");
      expect(merge({ latest, lastError: { at: at(5_000), code: "timeout", message: "x" } }).color).toBe("green");
      expect(merge({ latest, lastError: { at: at(4_999), code: "timeout", message: "x" } }).label).toBe("unreachable");
    });
  });

  describe("amber", () => {
    it("is amber for a doctor warning, quoting the check once even though the agent lists it too", () => {
      const r = report({
        doctor: { ...report().doctor, checks: [{ id: "disk", status: "warn", message: "82% used" }], status: "warn" },
        warnings: [{ code: "doctor_warn", message: "disk: 82% used" }],
      });
      expect(merge({ latest: { fetchedAt: at(5_000), report: r } })).toEqual({
        color: "amber",
        label: "warning",
        reasons: [{ code: "doctor_warn", message: "disk: 82% used" }],
        lastGoodAt: at(5_000),
        ageMs: 5_000,
      });
    });

    it("is amber for the agent's own warnings, keeping their codes", () => {
      const r = report({ warnings: [{ code: "webhook_failures", message: "3 of 40 deliveries failed" }] });
      expect(merge({ latest: { fetchedAt: at(5_000), report: r } })).toMatchObject({
        color: "amber",
        label: "warning",
        reasons: [{ code: "webhook_failures", message: "3 of 40 deliveries failed" }],
      });
    });

    it("is amber when doctor says warn without naming a check", () => {
      expect(merge({ latest: { fetchedAt: at(5_000), report: failing([], "warn") } })).toMatchObject({
        color: "amber",
        reasons: [{ code: "doctor_warn", message: "doctor reports warn without naming a check" }],
      });
    });
  });

  describe("red", () => {
    function red(r: ReadinessReport, peerProbeMajority: NodeReadinessInput["peerProbeMajority"] = PROBE) {
      const result = merge({ latest: { fetchedAt: at(5_000), report: r }, peerProbeMajority });
      expect([result.color, result.label, result.lastGoodAt, result.ageMs]).toEqual(["red", "failing", at(5_000), 5_000]);
      return result.reasons;
    }

    it("fails on a failing doctor check, once, even when the agent also lists it", () => {
      const r = report({
        doctor: { ...report().doctor, checks: [{ id: "model-auth", status: "fail", message: "401 from provider" }], status: "fail" },
        ready: false,
        reasons: [{ code: "doctor_fail", message: "model-auth: 401 from provider" }],
      });
      expect(red(r)).toEqual([{ code: "doctor_fail", message: "model-auth: 401 from provider" }]);
    });

    it("fails on doctor status fail without a failing check", () => {
      expect(red(failing([{ id: "gateway", status: "ok", message: "up" }], "fail"))).toEqual([
        { code: "doctor_fail", message: "doctor reports fail without naming a failing check" },
      ]);
    });

    it("fails on a failing check even when the doctor summary says ok", () => {
      expect(red(failing([{ id: "disk", status: "fail", message: "full" }], "ok"))).toEqual([
        { code: "doctor_fail", message: "disk: full" },
      ]);
    });

    it("fails when installed core differs from the lock, even if the agent claims ready", () => {
      const r = report({ installed: { core: "2026.10.0", plugins: { "memory-lancedb": "1.2.0" } } });
      expect(red(r)).toEqual([{ code: "core_mismatch", message: "core 2026.10.0 installed, lock wants 2026.11.2" }]);
    });

    it("fails when no core is installed", () => {
      const r = report({ installed: { core: null, plugins: {} } });
      expect(red(r)).toEqual([{ code: "core_mismatch", message: "core (none) installed, lock wants 2026.11.2" }]);
    });

    it("fails without a lockfile, and with an unreadable one", () => {
      expect(red(report({ lockfile: null }))).toEqual([
        { code: "no_lockfile", message: "node has no lockfile, so nothing says what it should run" },
      ]);
      expect(red(report({ lockfile: { core: null, plugins: {}, sha256: "e".repeat(64) } }))).toEqual([
        { code: "lockfile_unreadable", message: "lockfile exists but does not parse as a lock" },
      ]);
    });

    it("fails when the agent is not ready, passing its reasons through with their codes", () => {
      const r = report({
        ready: false,
        reasons: [
          { code: "operation_running", message: "operation op_7 is changing this node" },
          { code: "plugin_mismatch", message: "memory-lancedb 1.1.0 installed, lock wants 1.2.0" },
        ],
      });
      expect(red(r)).toEqual([
        { code: "operation_running", message: "operation op_7 is changing this node" },
        { code: "plugin_mismatch", message: "memory-lancedb 1.1.0 installed, lock wants 1.2.0" },
      ]);
    });

    it("fails when the agent is not ready without saying why", () => {
      expect(red(report({ ready: false }))).toEqual([{ code: "not_ready", message: "the agent reports not ready without a reason" }]);
    });

    it("fails when the probe disagrees with the peers' majority", () => {
      expect(red(report({ ready_probe_sha256: OTHER }))).toEqual([
        {
          code: "probe_mismatch",
          message: "ready probe bbbbbbbbbbbb differs from aaaaaaaaaaaa, the majority among peers on this release",
        },
      ]);
    });

    it("fails when the peers have no majority to confirm the probe", () => {
      expect(red(report(), { noMajority: true, peers: 4 })).toEqual([
        {
          code: "probe_no_majority",
          message: "no ready probe holds a majority among the 4 peers on this release, so this node's aaaaaaaaaaaa can't be confirmed",
        },
      ]);
    });

    it("lists every failure, then the warnings, in a stable order", () => {
      const r = report({
        installed: { core: "2026.10.0", plugins: {} },
        doctor: {
          ...report().doctor,
          checks: [
            { id: "disk", status: "warn", message: "82% used" },
            { id: "gateway", status: "fail", message: "not listening" },
          ],
          status: "fail",
        },
        ready: false,
        reasons: [
          { code: "core_mismatch", message: "core 2026.10.0 installed, lock wants 2026.11.2" },
          { code: "doctor_fail", message: "gateway: not listening" },
        ],
        warnings: [{ code: "doctor_warn", message: "disk: 82% used" }],
        ready_probe_sha256: OTHER,
      });
      expect(red(r).map((reason) => reason.code)).toEqual(["doctor_fail", "core_mismatch", "probe_mismatch", "doctor_warn"]);
    });
  });
});
