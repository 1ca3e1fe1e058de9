import { AppError } from "@/lib/app-error";
import { GUARDRAIL_LABELS, INSTANT_GUARDRAILS, type PlanGuardrailKey, type PlanGuardrails } from "./plan-guardrails-schema";

/** The part of a node's readiness report the gate reads; see gateReadinessFromReport. */
export interface GateReadiness {
  /** When the dashboard received the report, on the dashboard's clock (the same clock as `now`). */
  fetchedAt: Date;
  core: string | null;
  probeSha256: string;
  ready: boolean;
  reasons: readonly { code: string; message: string }[];
}

/** Guardrail observations for one node; any may be missing when the source has nothing yet. */
export interface GuardrailMetrics {
  memoryPercent?: number | null;
  queueDepth?: number | null;
  p95Ms?: number | null;
  successRate?: number | null;
}

export interface GateNode {
  nodeId: string;
  name: string;
  /** null when the agent couldn't be reached. */
  readiness: GateReadiness | null;
  metrics: GuardrailMetrics | null;
}

export type GateFailureCode = "probe_mismatch" | "version_mismatch" | "not_ready" | "stale" | "unreachable" | "guardrail";

export interface GateFailure {
  code: GateFailureCode;
  nodeId?: string;
  nodeName?: string;
  message: string;
  /** What was seen: a value, an age in ms, a version or a probe hash; null when nothing was observed. */
  observed?: number | string | null;
  limit?: number | string;
  /** Which guardrail, for `guardrail` failures. */
  guardrail?: PlanGuardrailKey;
}

export interface GateResult {
  pass: boolean;
  failures: GateFailure[];
}

/**
 * Which observation each instantaneous guardrail is checked against; labels come from
 * GUARDRAIL_LABELS. Token spend and eval score are relative to the baseline or come from capability
 * checks: the canary analysis judges them (lib/analysis), not this per-node gate.
 */
const GUARDRAIL_METRICS: Readonly<Record<(typeof INSTANT_GUARDRAILS)[number], keyof GuardrailMetrics>> = {
  maxMemoryPercent: "memoryPercent",
  maxQueueDepth: "queueDepth",
  maxP95Ms: "p95Ms",
  minSuccessRate: "successRate",
};

const GUARDRAIL_CHECKS = INSTANT_GUARDRAILS.map((guardrail) => ({
  guardrail,
  metric: GUARDRAIL_METRICS[guardrail],
  ...GUARDRAIL_LABELS[guardrail],
}));

/**
 * The gate before a widen (and before a new wave): may more traffic go to the new release?
 * Input is every node of the plan upgraded so far. It passes only on positive evidence: an
 * unreachable node, a stale report or a guardrail with no observation is a failure, never a skip,
 * because the cost of waiting is a click and the cost of a wrong pass is an outage.
 *
 * Failures come per node in input order (reachability/freshness, version, readiness, guardrails),
 * then probe mismatches. A stale report is judged on its age alone: its other fields are too old
 * to trust either way, so it is left out of the version, readiness and probe checks.
 */
export function evaluateWidenGate(input: {
  targetCoreVersion: string;
  now: Date;
  freshnessMs: number;
  nodes: readonly GateNode[];
  guardrails: PlanGuardrails;
}): GateResult {
  const { targetCoreVersion, now, freshnessMs, guardrails } = input;
  if (!Number.isFinite(freshnessMs) || freshnessMs <= 0)
    throw new AppError("internal", `Freshness window ${freshnessMs} ms is not a positive duration.`);
  const ids = new Set(input.nodes.map((node) => node.nodeId));
  if (ids.size !== input.nodes.length) throw new AppError("internal", "The gate got the same node twice.");

  const failures: GateFailure[] = [];
  const comparable: { node: GateNode; probe: string }[] = [];

  for (const node of input.nodes) {
    const who = { nodeId: node.nodeId, nodeName: node.name };
    const readiness = node.readiness;
    if (!readiness) {
      failures.push({ code: "unreachable", ...who, message: `${node.name} is unreachable: no readiness report.`, observed: null });
    } else {
      const ageMs = now.getTime() - readiness.fetchedAt.getTime();
      if (ageMs < 0) {
        // Both timestamps come from the dashboard's clock, so this is a caller bug; don't trust it.
        failures.push({
          code: "stale",
          ...who,
          message: `${node.name}'s readiness is dated ${-ageMs} ms in the future; take \`now\` after fetching.`,
          observed: ageMs,
          limit: freshnessMs,
        });
      } else if (ageMs > freshnessMs) {
        failures.push({
          code: "stale",
          ...who,
          message: `${node.name}'s readiness is ${formatMs(ageMs)} old; the limit is ${formatMs(freshnessMs)}.`,
          observed: ageMs,
          limit: freshnessMs,
        });
      } else {
        if (readiness.core !== targetCoreVersion) {
          failures.push({
            code: "version_mismatch",
            ...who,
            message: `${node.name} runs core ${readiness.core ?? "(none)"}, not ${targetCoreVersion}.`,
            observed: readiness.core,
            limit: targetCoreVersion,
          });
        } else {
          comparable.push({ node, probe: readiness.probeSha256 });
        }
        if (!readiness.ready) {
          const reasons = readiness.reasons.map((reason) => reason.code);
          failures.push({
            code: "not_ready",
            ...who,
            message: `${node.name} is not ready${readiness.reasons.length ? `: ${readiness.reasons.map((r) => r.message).join("; ")}` : "."}`,
            observed: reasons.join(", "),
          });
        }
      }
    }
    failures.push(...guardrailFailures(node, guardrails));
  }

  failures.push(...probeFailures(comparable));
  return { pass: failures.length === 0, failures };
}

function guardrailFailures(node: GateNode, guardrails: PlanGuardrails): GateFailure[] {
  const failures: GateFailure[] = [];
  for (const check of GUARDRAIL_CHECKS) {
    const limit = guardrails[check.guardrail];
    if (limit === undefined) continue;
    const who = { nodeId: node.nodeId, nodeName: node.name, guardrail: check.guardrail, limit };
    const observed = node.metrics?.[check.metric];
    if (observed === undefined || observed === null || !Number.isFinite(observed)) {
      failures.push({
        code: "guardrail",
        ...who,
        observed: null,
        message: `${node.name} has no ${check.label} observation to check against ${check.bound} ${limit}${check.unit}.`,
      });
      continue;
    }
    const violated = check.bound === "max" ? observed > limit : observed < limit;
    if (violated) {
      failures.push({
        code: "guardrail",
        ...who,
        observed,
        message: `${node.name}'s ${check.label} is ${observed}${check.unit}, ${check.bound === "max" ? "above the maximum" : "below the minimum"} of ${limit}${check.unit}.`,
      });
    }
  }
  return failures;
}

/**
 * Healthy peers on the same release have the same probe hash (versions, lockfile, plugin tree,
 * doctor statuses, config). The odd ones out are whichever disagree with a strict majority; with
 * no majority nobody can be trusted as the reference, so every node is reported. Nodes on the
 * wrong core are left out: they differ by construction and could otherwise outvote the good ones.
 */
function probeFailures(comparable: readonly { node: GateNode; probe: string }[]): GateFailure[] {
  if (comparable.length < 2) return [];
  const counts = new Map<string, number>();
  for (const { probe } of comparable) counts.set(probe, (counts.get(probe) ?? 0) + 1);
  const [majority, majorityCount] = [...counts.entries()].reduce((best, entry) => (entry[1] > best[1] ? entry : best));
  const n = comparable.length;

  if (majorityCount * 2 > n) {
    return comparable
      .filter(({ probe }) => probe !== majority)
      .map(({ node, probe }) => ({
        code: "probe_mismatch" as const,
        nodeId: node.nodeId,
        nodeName: node.name,
        message: `${node.name}'s ready probe ${short(probe)} differs from ${short(majority)}, shared by ${majorityCount} of ${n} upgraded nodes.`,
        observed: probe,
        limit: majority,
      }));
  }
  return comparable.map(({ node, probe }) => ({
    code: "probe_mismatch" as const,
    nodeId: node.nodeId,
    nodeName: node.name,
    message: `${node.name}'s ready probe ${short(probe)} has no majority: ${n} upgraded nodes report ${counts.size} different probes.`,
    observed: probe,
  }));
}

function short(sha: string): string {
  return sha.slice(0, 12);
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
