import { GUARDRAIL_LABELS, type GuardrailLabel, type PlanGuardrailKey } from "@/lib/plans/plan-guardrails-schema";
import type { EventData } from "./read-event-data";

export function guardrailLabel(key: string | null): GuardrailLabel | null {
  return key !== null && Object.hasOwn(GUARDRAIL_LABELS, key) ? GUARDRAIL_LABELS[key as PlanGuardrailKey] : null;
}

/**
 * One gate failure (`data.failures[i]` of gate.passed / gate.tripped) as a short clause, numbers
 * first for guardrails ("gw-eu-1 memory 78.2% > 75%") because that is what a reviewer scans for.
 * Other codes already carry a sentence written by the gate; it is reused without its full stop.
 */
export function describeGateFailure(failure: EventData): string {
  const node = failure.str("nodeName") ?? failure.str("nodeId") ?? "a node";
  const code = failure.str("code") ?? "unknown";
  if (code === "guardrail") {
    const guardrail = failure.str("guardrail");
    const label = guardrailLabel(guardrail);
    const observed = failure.num("observed");
    const limit = failure.num("limit");
    if (label && limit !== null) {
      if (observed === null) return `${node} ${label.label} not observed (${label.bound} ${limit}${label.unit})`;
      return `${node} ${label.label} ${observed}${label.unit} ${label.bound === "max" ? ">" : "<"} ${limit}${label.unit}`;
    }
  }
  const message = failure.str("message");
  if (message) return message.replace(/\.\s*$/, "");
  return `${node}: ${code}`;
}

/** The check, observation and limit of one gate failure, as table cells. */
export function gateFailureNumbers(failure: EventData): { check: string; observed: string; limit: string } {
  const code = failure.str("code") ?? "unknown";
  const observed = failure.raw("observed");
  const limit = failure.raw("limit");
  switch (code) {
    case "guardrail": {
      const guardrail = failure.str("guardrail");
      const label = guardrailLabel(guardrail);
      if (!label) return { check: guardrail ?? "guardrail", observed: plain(observed), limit: plain(limit) };
      return {
        check: `${label.label} (${guardrail})`,
        observed: typeof observed === "number" ? `${observed}${label.unit}` : "not observed",
        limit: typeof limit === "number" ? `${label.bound === "max" ? "≤" : "≥"} ${limit}${label.unit}` : plain(limit),
      };
    }
    case "stale":
      return {
        check: "report freshness",
        observed: typeof observed === "number" ? `${observed} ms old` : plain(observed),
        limit: typeof limit === "number" ? `≤ ${limit} ms` : plain(limit),
      };
    case "version_mismatch":
      return { check: "core version", observed: plain(observed), limit: plain(limit) };
    case "probe_mismatch":
      return { check: "ready probe (majority)", observed: short(observed), limit: short(limit) };
    case "not_ready":
      return { check: "readiness", observed: plain(observed), limit: "ready" };
    case "unreachable":
      return { check: "reachability", observed: "no report", limit: "a report" };
    default:
      return { check: code, observed: plain(observed), limit: plain(limit) };
  }
}

function plain(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value);
}

function short(value: unknown): string {
  return typeof value === "string" ? value.slice(0, 12) : plain(value);
}
