import { describe, expect, it } from "vitest";
import { doctorCheckSchema } from "@/lib/protocol";
import { mapOpenclawDoctorFindings } from "./map-openclaw-doctor-findings";
import { openclawDoctorLintSchema } from "./openclaw-cli-schemas";

// Verbatim from `openclaw doctor --lint --json` on a fresh 2026.9.5 install (exit 1).
const FRESH = {
  schemaVersion: 1,
  ok: false,
  checksRun: 35,
  checksSkipped: 30,
  findings: [
    {
      checkId: "core/doctor/gateway-auth",
      severity: "warning",
      message: "Gateway auth is off or missing a token.",
      path: "gateway.auth.token",
      fixHint: "Run `openclaw doctor --fix --generate-gateway-token` to generate a token, then restart the Gateway.",
    },
    {
      checkId: "core/doctor/heartbeat-cadence-migration",
      severity: "warning",
      message: 'Create heartbeat monitor for agent "main" at 30m.',
      path: "/tmp/home/.openclaw/cron/jobs.json",
      target: "main",
      requirement: "heartbeat-monitor-create",
      fixHint: "Run openclaw doctor --fix to materialize heartbeat cadence in cron.",
    },
  ],
};

describe("mapOpenclawDoctorFindings", () => {
  it("keeps OpenClaw's checkId, message, fixHint and path, and maps severities error→fail, warning→warn, info→ok", () => {
    const report = openclawDoctorLintSchema.parse({
      ...FRESH,
      findings: [
        ...FRESH.findings,
        { checkId: "core/doctor/state-db", severity: "error", message: "state database is unreadable" },
        { checkId: "core/doctor/note", severity: "info", message: "fyi" },
      ],
    });
    const checks = mapOpenclawDoctorFindings(report);
    expect(checks).toEqual([
      {
        id: "core/doctor/gateway-auth",
        status: "warn",
        message: "Gateway auth is off or missing a token.",
        fixHint: "Run `openclaw doctor --fix --generate-gateway-token` to generate a token, then restart the Gateway.",
        path: "gateway.auth.token",
      },
      {
        id: "core/doctor/heartbeat-cadence-migration",
        status: "warn",
        message: 'Create heartbeat monitor for agent "main" at 30m.',
        fixHint: "Run openclaw doctor --fix to materialize heartbeat cadence in cron.",
        path: "/tmp/home/.openclaw/cron/jobs.json",
      },
      { id: "core/doctor/state-db", status: "fail", message: "state database is unreadable" },
      { id: "core/doctor/note", status: "ok", message: "fyi" },
    ]);
    for (const check of checks) expect(doctorCheckSchema.parse(check)).toEqual(check);
  });

  it("reports a clean lint as one ok check rather than no checks", () => {
    const checks = mapOpenclawDoctorFindings(openclawDoctorLintSchema.parse({ ...FRESH, ok: true, findings: [] }));
    expect(checks).toEqual([
      { id: "openclaw/doctor-lint", status: "ok", message: "openclaw doctor --lint: 35 checks ran, 30 skipped, no findings" },
    ]);
  });

  it("refuses a reply of another shape instead of guessing", () => {
    expect(openclawDoctorLintSchema.safeParse({ ok: false, error: { type: "cli_error", message: "schema 18" } }).success).toBe(false);
    expect(openclawDoctorLintSchema.safeParse({ ...FRESH, findings: [{ checkId: "x", severity: "fatal", message: "?" }] }).success).toBe(
      false,
    );
  });
});
