import type { ChainedAuditEvent } from "@/lib/audit/audit-hash";
import type { AuditEventSource } from "./audit-event-source";
import { describeEvent } from "./describe-event";
import { describeGateFailure, gateFailureNumbers, guardrailLabel } from "./describe-gate-failure";
import { readEventData, type EventData } from "./read-event-data";

export interface TimelineEntry {
  at: string;
  who: string;
  what: string;
}

export interface DecisionEntry {
  at: string;
  decision: string;
  by: string;
  detail: string;
}

export interface GateEntry {
  at: string;
  gate: string;
  /** The node whose step ran the gate ("" for the guardrail watch, which guards the whole plan). */
  stepNode: string;
  node: string;
  check: string;
  observed: string;
  limit: string;
  result: "passed" | "tripped";
}

export interface RestoreEntry {
  restoreId: string;
  label: string;
  requestedAt: string;
  by: string;
  automatic: boolean;
  reason: string | null;
  outcome: { at: string; ok: boolean; summary: string } | null;
}

/** What an incident review needs from the audit log, gathered in one pass over the events. */
export interface IncidentFacts {
  /** Every event read, in scope or not: the range a JSON bundle of the same read would cover. */
  read: { count: number; firstSeq: string | null; lastSeq: string | null; headHash: string | null };
  inScope: number;
  byKind: Record<string, number>;
  timeline: TimelineEntry[];
  /** Successful agent calls and replies: counted, left out of the timeline. */
  routineAgentEvents: number;
  decisions: DecisionEntry[];
  gates: GateEntry[];
  captured: { at: string; label: string; scope: string; nodes: string[] }[];
  restores: RestoreEntry[];
  questions: string[];
  /** Plans that appear in scope, with their title when their creation is in scope too. */
  plans: { id: string; title: string | null }[];
  /** When the first canary came back on the new release: the clock for the time to detect. */
  firstRestartAt: string | null;
  /** Every canary analysis the log records (formal looks, and watches that found something), in order. */
  analyses: AnalysisEntry[];
}

export interface AnalysisEntry {
  at: string;
  phase: string;
  wave: number | null;
  decision: string;
  score: number | null;
  summary: string;
}

/**
 * Reads the events once, in order, and keeps only what the postmortem shows; nothing is buffered
 * except those (plan-sized) lists. Events for which `inScope` is false still count towards `read`
 * (the chain range) but nowhere else.
 */
export async function collectIncidentFacts(
  events: AuditEventSource,
  inScope: (event: ChainedAuditEvent) => boolean,
): Promise<IncidentFacts> {
  const facts: IncidentFacts = {
    read: { count: 0, firstSeq: null, lastSeq: null, headHash: null },
    inScope: 0,
    byKind: {},
    timeline: [],
    routineAgentEvents: 0,
    decisions: [],
    gates: [],
    captured: [],
    restores: [],
    questions: [],
    plans: [],
    firstRestartAt: null,
    analyses: [],
  };
  const questions = new Set<string>();
  const restores = new Map<string, RestoreEntry>();
  const plans = new Map<string, string | null>();

  for await (const event of events) {
    facts.read.count += 1;
    facts.read.firstSeq ??= event.seq;
    facts.read.lastSeq = event.seq;
    facts.read.headHash = event.hash;
    if (!inScope(event)) continue;

    facts.inScope += 1;
    facts.byKind[event.kind] = (facts.byKind[event.kind] ?? 0) + 1;
    if (event.planId !== null && !plans.has(event.planId)) plans.set(event.planId, null);
    const data = readEventData(event.data);
    const who = event.actorEmail ?? event.actorId ?? "Rollbook";
    const automatic = event.actorEmail === null && event.actorId === null;
    const by = automatic ? "Rollbook (automatic)" : who;
    const node = data.str("node") ?? "a node";
    const reason = data.str("reason");

    if (isRoutineAgentEvent(event.kind, data)) {
      facts.routineAgentEvents += 1;
    } else {
      facts.timeline.push({ at: event.at, who, what: describeEvent(event) });
    }

    switch (event.kind) {
      case "plan.created":
        if (event.planId !== null) plans.set(event.planId, data.str("title"));
        break;
      case "plan.approval_given": {
        const approvals = data.num("approvals");
        const required = data.num("required");
        facts.decisions.push({
          at: event.at,
          decision: "approval",
          by,
          detail: approvals !== null && required !== null ? `${approvals} of ${required} required` : "",
        });
        break;
      }
      case "plan.approved":
        facts.decisions.push({ at: event.at, decision: "plan approved", by, detail: "enough approvals; the runner may start" });
        break;
      case "step.activated":
        facts.decisions.push({ at: event.at, decision: `activated ${data.str("kind") ?? "step"} on ${node}`, by, detail: "" });
        break;
      case "plan.paused":
        facts.decisions.push({ at: event.at, decision: "paused the plan", by, detail: reason ?? "" });
        questions.add(
          data.bool("automatic") || automatic
            ? `Rollbook paused the plan by itself (“${reason ?? "no reason recorded"}”): how long until someone picked it up, and what did they decide?`
            : `What did ${who} see that led to pausing the plan (“${reason ?? "no reason given"}”), and should a guardrail watch for it?`,
        );
        break;
      case "plan.resumed":
        facts.decisions.push({ at: event.at, decision: "resumed the plan", by, detail: reason ?? "" });
        break;
      case "plan.aborted":
        facts.decisions.push({ at: event.at, decision: "aborted the plan", by, detail: reason ?? "" });
        questions.add(`What made ${who} abort the plan${reason ? ` (“${reason}”)` : ""}, and was anything left half-done?`);
        break;
      case "plan.start_blocked":
        questions.add(`Why could the plan not start at first (“${reason ?? "no reason recorded"}”)?`);
        break;
      case "step.succeeded":
        if (data.str("kind") === "restart") facts.firstRestartAt ??= event.at;
        break;
      case "analysis.completed":
        facts.analyses.push({
          at: event.at,
          phase: data.str("phase") ?? "?",
          wave: data.num("wave"),
          decision: data.str("decision") ?? "?",
          score: data.num("score"),
          summary: data.str("summary") ?? "",
        });
        break;
      case "step.failed":
        questions.add(`Why did ${data.str("kind") ?? "a step"} fail on ${node}? The runner recorded: “${data.str("error") ?? "no error"}”`);
        break;
      case "gate.passed":
      case "gate.tripped":
        collectGate(facts, questions, event, data);
        break;
      case "bookmark.captured":
        facts.captured.push({
          at: event.at,
          label: data.str("label") ?? "unnamed",
          scope: data.str("scope") ?? "",
          nodes: data.strings("nodes"),
        });
        break;
      case "bookmark.restore_requested": {
        const label = data.str("label") ?? "unnamed";
        const isAutomatic = data.bool("automatic") ?? automatic;
        const entry: RestoreEntry = {
          restoreId: data.str("restoreId") ?? `restore-${event.seq}`,
          label,
          requestedAt: event.at,
          by: isAutomatic ? "Rollbook (automatic)" : who,
          automatic: isAutomatic,
          reason,
          outcome: null,
        };
        restores.set(entry.restoreId, entry);
        facts.restores.push(entry);
        facts.decisions.push({
          at: event.at,
          decision: `${isAutomatic ? "automatic restore" : "restore"} of bookmark “${label}”`,
          by: entry.by,
          detail: reason ?? "",
        });
        questions.add(
          isAutomatic
            ? `Rollbook rolled back to “${label}” by itself: was the guardrail threshold right, and should this have paused for a human instead?`
            : `What made ${who} restore “${label}”, and could a guardrail have caught it first?`,
        );
        break;
      }
      case "bookmark.restored":
      case "bookmark.restore_failed": {
        const ok = event.kind === "bookmark.restored";
        const entry = restores.get(data.str("restoreId") ?? "");
        const outcome = { at: event.at, ok, summary: describeEvent(event) };
        if (entry) entry.outcome = outcome;
        if (!ok) {
          const failed = data
            .records("nodes")
            .filter((entryNode) => entryNode.bool("ok") !== true)
            .map((entryNode) => entryNode.str("name") ?? "a node");
          questions.add(`Why did the restore fail on ${failed.join(", ") || "some nodes"}, and what were those nodes running afterwards?`);
        }
        break;
      }
      case "agent.call_failed":
        questions.add(
          `Was ${node} healthy when ${data.str("action") ?? "an action"} failed (${data.str("code") ?? "error"}: ${data.str("message") ?? "no message"})?`,
        );
        break;
      case "agent.reply":
        if (!isRoutineAgentEvent(event.kind, data)) {
          questions.add(
            `Why did ${data.str("action") ?? "an action"} end ${data.str("status") ?? "badly"} on ${node}${data.str("error") ? ` (“${data.str("error")}”)` : ""}?`,
          );
        }
        break;
    }
  }

  facts.questions = [...questions];
  if (facts.questions.length > 0) {
    facts.questions.push("What would have shown the problem before any node took traffic on the new release?");
  }
  facts.plans = [...plans].map(([id, title]) => ({ id, title }));
  return facts;
}

/** Agent traffic that went as planned is most of the log and tells a reviewer nothing. */
function isRoutineAgentEvent(kind: string, data: EventData): boolean {
  if (kind === "agent.call") return true;
  if (kind === "agent.reply") return data.str("status") === "succeeded";
  return false;
}

function collectGate(facts: IncidentFacts, questions: Set<string>, event: ChainedAuditEvent, data: EventData): void {
  const gate = data.str("gate") ?? "gate";
  const stepNode = gate === "guardrail-watch" ? "" : (data.str("node") ?? "");
  const failures = data.records("failures");
  if (event.kind === "gate.passed" || failures.length === 0) {
    facts.gates.push({
      at: event.at,
      gate,
      stepNode,
      node: data.strings("nodes").join(", "),
      check: "every check held",
      observed: "—",
      limit: "—",
      result: event.kind === "gate.passed" ? "passed" : "tripped",
    });
    return;
  }
  for (const failure of failures) {
    const numbers = gateFailureNumbers(failure);
    const failedNode = failure.str("nodeName") ?? failure.str("nodeId") ?? "";
    facts.gates.push({ at: event.at, gate, stepNode, node: failedNode, ...numbers, result: "tripped" });
    questions.add(gateQuestion(failure, gate, failedNode, numbers));
  }
}

function gateQuestion(failure: EventData, gate: string, node: string, numbers: { observed: string; limit: string }): string {
  const where = gate === "guardrail-watch" ? "the guardrail watch" : `the gate before ${gate}`;
  const label = guardrailLabel(failure.str("guardrail"));
  if (failure.str("code") === "guardrail" && label) {
    return `Was the ${label.label} limit (${numbers.limit}) right? ${node || "A node"} showed ${numbers.observed} when ${where} tripped: a real regression, or a threshold set too tight?`;
  }
  return `Why did ${where} trip on ${node || "a node"}: ${describeGateFailure(failure)}?`;
}
