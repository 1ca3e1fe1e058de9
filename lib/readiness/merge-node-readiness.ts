import { AppError } from "@/lib/app-error";
import type { ReadinessReason, ReadinessReport } from "@/lib/protocol/readiness-report-schema";
import { formatApproxDuration } from "./format-approx-duration";

export type ReadinessColor = "green" | "amber" | "red" | "grey";
export type ReadinessLabel = "ready" | "warning" | "failing" | "stale" | "unreachable" | "unknown";

/**
 * Codes the dashboard itself produces. Reasons copied from the agent's report (`reasons` when it
 * is not ready, `warnings`) keep the agent's own codes (`operation_running`, `plugin_mismatch`,
 * ...), which are part of the wire contract; the codes below that the agent also uses
 * (`doctor_fail`, `doctor_warn`, `no_lockfile`, `lockfile_unreadable`, `core_mismatch`) mean the same thing.
 */
export type DashboardReasonCode =
  | "never_polled"
  | "unreachable"
  | "stale"
  | "fetched_in_future"
  | "doctor_fail"
  | "doctor_warn"
  | "no_lockfile"
  | "lockfile_unreadable"
  | "core_mismatch"
  | "not_ready"
  | "probe_mismatch"
  | "probe_no_majority";

/**
 * What the node's peers on the same release agree on (see `fleetConsensus`):
 * - a sha: the strict-majority ready probe;
 * - null: no peer to compare with, which is fine;
 * - `{ noMajority: true, peers }`: peers exist but no probe holds a strict majority, so nobody,
 *   this node included, can be trusted as the reference.
 */
export type PeerProbeMajority = string | null | { noMajority: true; peers: number };

export interface NodeReadinessInput {
  /** The dashboard's clock, the same clock that stamped `fetchedAt` and `lastError.at`. */
  now: Date;
  /** How old the last answer may be and still be believed. Exactly at the window is still fresh. */
  freshnessMs: number;
  /** The last report that arrived and parsed, whatever it said. */
  latest: { fetchedAt: Date; report: ReadinessReport } | null;
  /** The last failed poll; it only counts when it is later than `latest`. */
  lastError: { at: Date; code: string; message: string } | null;
  peerProbeMajority: PeerProbeMajority;
}

export interface NodeReadiness {
  color: ReadinessColor;
  label: ReadinessLabel;
  /** Failures first, then warnings; for grey, why there is nothing to judge. */
  reasons: ReadinessReason[];
  /** When the last report arrived, good news or bad; null when none ever did. */
  lastGoodAt: Date | null;
  /** now − lastGoodAt; negative only when the caller's clocks disagree (reported as `fetched_in_future`). */
  ageMs: number | null;
}

/**
 * One node's Doctor badge from the collector's last answer, last error and the fleet's consensus.
 * Green needs positive evidence on every count — a fresh answer, doctor ok, installed core equal
 * to the lock, the agent's own `ready`, and a probe that matches the peer majority — because a
 * green badge is what people use to decide that a rollout may continue. Anything we can't see
 * (never polled, failing to poll, too old) is grey rather than the last colour we saw: yesterday's
 * green is not evidence about today.
 */
export function mergeNodeReadiness(input: NodeReadinessInput): NodeReadiness {
  const { now, freshnessMs, latest, lastError } = input;
  if (!Number.isFinite(freshnessMs) || freshnessMs <= 0) {
    throw new AppError("internal", `Freshness window ${freshnessMs} ms is not a positive duration.`);
  }
  const lastGoodAt = latest?.fetchedAt ?? null;
  const ageMs = lastGoodAt === null ? null : now.getTime() - lastGoodAt.getTime();
  const grey = (label: ReadinessLabel, reasons: ReadinessReason[]): NodeReadiness => ({
    color: "grey",
    label,
    reasons,
    lastGoodAt,
    ageMs,
  });

  if (lastError !== null && (latest === null || lastError.at.getTime() > latest.fetchedAt.getTime())) {
    const lastGood = ageMs === null ? "it has never answered" : `last answer ${formatApproxDuration(ageMs)} ago`;
    const failedAgo = formatApproxDuration(now.getTime() - lastError.at.getTime());
    return grey("unreachable", [
      { code: "unreachable", message: `Last poll ${failedAgo} ago failed (${lastError.code}: ${lastError.message}); ${lastGood}.` },
    ]);
  }
  if (latest === null || ageMs === null) {
    return grey("unknown", [{ code: "never_polled", message: "The collector has not polled this node yet." }]);
  }
  if (ageMs < 0) {
    // Both stamps come from the dashboard's clock, so this is a caller bug; refuse to trust the data.
    return grey("stale", [
      {
        code: "fetched_in_future",
        message: `The last answer is dated ${formatApproxDuration(ageMs)} in the future; take \`now\` after fetching.`,
      },
    ]);
  }
  if (ageMs > freshnessMs) {
    return grey("stale", [
      {
        code: "stale",
        message: `Last answer ${formatApproxDuration(ageMs)} ago, older than the ${formatApproxDuration(freshnessMs)} freshness window.`,
      },
    ]);
  }

  const failures = failureReasons(latest.report, input.peerProbeMajority);
  const warnings = warningReasons(latest.report);
  if (failures.length > 0) return { color: "red", label: "failing", reasons: [...failures, ...warnings], lastGoodAt, ageMs };
  if (warnings.length > 0) return { color: "amber", label: "warning", reasons: warnings, lastGoodAt, ageMs };
  return { color: "green", label: "ready", reasons: [], lastGoodAt, ageMs };
}

function failureReasons(report: ReadinessReport, peerProbeMajority: PeerProbeMajority): ReadinessReason[] {
  const reasons: ReadinessReason[] = [];
  // A failing check outranks a summary that says otherwise: the summary is the agent's own
  // arithmetic, and a bug there must not paint a node green.
  const failing = report.doctor.checks.filter((check) => check.status === "fail");
  // Same wording as the agent's reasons, so the agent's copy of the same fact is dropped by dedupe().
  reasons.push(...failing.map((check) => ({ code: "doctor_fail", message: `${check.id}: ${check.message}` })));
  if (report.doctor.status === "fail" && failing.length === 0) {
    reasons.push({ code: "doctor_fail", message: "doctor reports fail without naming a failing check" });
  }

  const installed = report.installed.core;
  if (report.lockfile === null) {
    reasons.push({ code: "no_lockfile", message: "node has no lockfile, so nothing says what it should run" });
  } else if (report.lockfile.core === null) {
    reasons.push({ code: "lockfile_unreadable", message: "lockfile exists but does not parse as a lock" });
  } else if (installed !== report.lockfile.core) {
    reasons.push({ code: "core_mismatch", message: `core ${installed ?? "(none)"} installed, lock wants ${report.lockfile.core}` });
  }

  if (!report.ready) {
    reasons.push(...report.reasons.map(({ code, message }) => ({ code, message })));
    if (report.reasons.length === 0) reasons.push({ code: "not_ready", message: "the agent reports not ready without a reason" });
  }

  const probe = report.ready_probe_sha256;
  if (typeof peerProbeMajority === "string" && probe !== peerProbeMajority) {
    reasons.push({
      code: "probe_mismatch",
      message: `ready probe ${short(probe)} differs from ${short(peerProbeMajority)}, the majority among peers on this release`,
    });
  } else if (peerProbeMajority !== null && typeof peerProbeMajority === "object") {
    reasons.push({
      code: "probe_no_majority",
      message: `no ready probe holds a majority among the ${peerProbeMajority.peers} peers on this release, so this node's ${short(probe)} can't be confirmed`,
    });
  }
  return dedupe(reasons);
}

function warningReasons(report: ReadinessReport): ReadinessReason[] {
  const warning = report.doctor.checks.filter((check) => check.status === "warn");
  const reasons: ReadinessReason[] = warning.map((check) => ({ code: "doctor_warn", message: `${check.id}: ${check.message}` }));
  if (report.doctor.status === "warn" && warning.length === 0) {
    reasons.push({ code: "doctor_warn", message: "doctor reports warn without naming a check" });
  }
  reasons.push(...report.warnings.map(({ code, message }) => ({ code, message })));
  return dedupe(reasons);
}

/** The agent already lists doctor checks and lock mismatches; showing each fact twice is noise. */
function dedupe(reasons: ReadinessReason[]): ReadinessReason[] {
  const seen = new Set<string>();
  return reasons.filter(({ code, message }) => {
    const key = `${code}\u0000${message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function short(sha: string): string {
  return sha.slice(0, 12);
}
