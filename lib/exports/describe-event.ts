import { describeGateFailure } from "./describe-gate-failure";
import { formatDuration } from "./format-duration";
import { readEventData, type EventData } from "./read-event-data";

/** The fields a description needs; a ChainedAuditEvent and an AuditEventView both fit. */
export interface DescribableEvent {
  kind: string;
  actorEmail: string | null;
  actorId?: string | null;
  data: unknown;
}

/** Long enough for a gate trip on a few nodes; the full detail stays in the event's data. */
const MAX_DESCRIPTION_LENGTH = 400;

/**
 * One line a person can read in a timeline: "bob@ops.example activated restart on gw-eu-1",
 * "gate before widen tripped: gw-eu-1 memory 78.2% > 75%". Stated from the event alone (no
 * lookups), so CSV rows, the Markdown draft and the UI say the same thing about the same row.
 * Unknown kinds and malformed data still produce a line rather than an error: an export must
 * never fail because of one odd event.
 */
export function describeEvent(event: DescribableEvent): string {
  const data = readEventData(event.data);
  return oneLine(sentence(event, data));
}

function sentence(event: DescribableEvent, data: EventData): string {
  const who = actorName(event);
  const node = data.str("node") ?? "a node";
  const step = data.str("kind") ?? "step";
  const reason = data.str("reason");
  const because = reason ? `: ${reason}` : "";
  switch (event.kind) {
    case "plan.created":
      return `${who} created plan "${data.str("title") ?? "untitled"}"${planCreatedDetail(data)}`;
    case "plan.approval_given":
      return `${who} approved the plan${ratio(data.num("approvals"), data.num("required"))}`;
    case "plan.approved": {
      const approvals = data.num("approvals");
      return `plan approved${approvals !== null ? ` with ${plural(approvals, "approval")}` : ""}, last approval by ${who}`;
    }
    case "plan.started":
      return `${who} started the plan`;
    case "plan.paused":
      return data.bool("automatic") ? `${who} paused the plan automatically${because}` : `${who} paused the plan${because}`;
    case "plan.resumed":
      return `${who} resumed the plan${because}`;
    case "plan.aborted":
      return `${who} aborted the plan${because}`;
    case "plan.completed":
      return "plan completed";
    case "plan.start_blocked":
      return `plan could not start${because}`;
    case "step.awaiting_activation":
      return `${step} on ${node} awaits activation`;
    case "step.activated": {
      const weight = data.num("targetWeight");
      return `${who} activated ${step} on ${node}${step === "widen" && weight !== null ? ` (target weight ${weight})` : ""}`;
    }
    case "step.succeeded":
      return `${step} on ${node} succeeded`;
    case "step.failed":
      return `${step} on ${node} failed: ${data.str("error") ?? "no error recorded"}`;
    case "gate.passed": {
      const checked = data.strings("nodes");
      return `${gateName(data)} passed for ${node}${checked.length ? ` (${plural(checked.length, "node")} checked)` : ""}`;
    }
    case "gate.tripped": {
      const failures = data.records("failures").map(describeGateFailure);
      return `${gateName(data)} tripped${failures.length ? `: ${failures.join("; ")}` : ""}`;
    }
    case "bookmark.captured": {
      const scope = data.str("scope");
      return `bookmark "${data.str("label") ?? "unnamed"}" captured (${scope ? `${scope} scope, ` : ""}${plural(data.strings("nodes").length, "node")})`;
    }
    case "bookmark.restore_requested": {
      const label = data.str("label") ?? "unnamed";
      return data.bool("automatic")
        ? `${who} requested an automatic restore of bookmark "${label}"${because}`
        : `${who} requested a restore of bookmark "${label}"${because}`;
    }
    case "bookmark.restored":
    case "bookmark.restore_failed":
      return restoreOutcome(event.kind === "bookmark.restored", data);
    case "agent.call":
      return `${data.str("action") ?? "action"} sent to ${node}${data.bool("repeated") ? " (repeated request, existing operation reused)" : ""}${took(data, " (accepted in ", ")")}`;
    case "agent.reply": {
      const error = data.str("error");
      return `${node} reports ${data.str("action") ?? "action"} ${data.str("status") ?? "finished"}${took(data, " after ")}${error ? `: ${error}` : ""}`;
    }
    case "agent.call_failed": {
      const code = data.str("code");
      return `${data.str("action") ?? "action"} call to ${node} failed${code ? ` (${code})` : ""}${took(data, " after ")}: ${data.str("message") ?? "no message"}`;
    }
    case "auth.signed_in": {
      const method = data.str("method");
      return `${who} signed in${method ? ` (${method})` : ""}`;
    }
    case "auth.sign_in_failed":
      return `failed sign-in for ${data.str("email") ?? "an unknown account"}`;
    case "auth.sign_in_throttled":
      return `sign-in refused for ${data.str("email") ?? "an unknown account"} from ${data.str("address") ?? "an unknown address"}: too many attempts (${data.str("scope") ?? "account"} locked)`;
    case "step.retried": {
      const attempt = data.num("attempt");
      return `${who} retried ${step} on ${node}${attempt !== null ? ` as attempt ${attempt}` : ""}${because}`;
    }
    case "step.handed_back":
      return `${step} on ${node} handed back: the plan was ${data.str("planStatus")?.replaceAll("_", " ") ?? "stopped"} before it ran`;
    case "step.job_dropped":
      return `a stale job for ${step} on ${node} was dropped: the plan was already ${data.str("planStatus")?.replaceAll("_", " ") ?? "finished"}`;
    case "agent.cancelled":
      return `${data.str("action") ?? "operation"} on ${node} cancelled (${data.str("status") ?? "?"})${because}`;
    case "agent.cancel_failed":
      return `cancelling an operation on ${node} failed: ${data.str("message") ?? "no message"}`;
    case "analysis.completed": {
      const wave = data.num("wave");
      return `canary analysis (${data.str("phase")?.replaceAll("_", " ") ?? "look"}${wave !== null ? `, wave ${wave + 1}` : ""}): ${data.str("summary") ?? data.str("decision") ?? "done"}`;
    }
    case "analysis.fresh_baseline_restarted":
      return `${node} restarted on its old release as the fresh baseline for canary ${data.str("canary") ?? "?"}`;
    case "analysis.accepted":
      return `${who} accepted the ${data.str("decision") ?? ""} canary analysis${because}`;
    case "worker.recovered": {
      const jobs = data.records("jobs").length;
      const host = data.str("hostname");
      return host
        ? `dashboard instance on ${host} (pid ${data.num("pid") ?? "?"}) stopped answering; ${jobs} of its job(s) released to live instances`
        : `${jobs} job(s) held by an unknown worker released to live instances`;
    }
    case "node.registered": {
      const where = [data.str("role"), data.str("region")].filter((part) => part !== null);
      return `${who} registered node ${data.str("name") ?? "unnamed"}${where.length ? ` (${where.join(", ")})` : ""}`;
    }
    case "release.created": {
      const replaces = data.str("replaces");
      return `${who} created release ${data.str("name") ?? "unnamed"}${replaces ? ` (replaces ${replaces})` : ""}`;
    }
    default: {
      // A kind this code doesn't know yet (or a test kind): say what, who and where, nothing more.
      const actor = event.actorEmail ?? event.actorId ?? null;
      const where = data.str("node");
      return `${event.kind.trim() || "event"}${actor ? ` by ${actor}` : ""}${where ? ` on ${where}` : ""}`;
    }
  }
}

/** Events without an actor were written by the runner itself, so they read as Rollbook acting. */
function actorName(event: DescribableEvent): string {
  return event.actorEmail ?? (event.actorId ? `user ${event.actorId}` : "Rollbook");
}

function planCreatedDetail(data: EventData): string {
  const parts: string[] = [];
  const from = data.str("from");
  const to = data.str("to");
  if (from !== null || to !== null) parts.push(`${from ?? "?"} → ${to ?? "?"}`);
  const strategy = data.str("strategy");
  if (strategy) parts.push(strategy.replaceAll("_", " "));
  const nodes = data.strings("nodes").length;
  const waves = data.num("waves");
  if (nodes > 0) parts.push(`${plural(nodes, "node")}${waves !== null ? ` in ${plural(waves, "wave")}` : ""}`);
  const required = data.num("approvalsRequired");
  if (required !== null) parts.push(`${plural(required, "approval")} required`);
  const autoRollback = data.bool("autoRollback");
  if (autoRollback !== null) parts.push(`automatic rollback ${autoRollback ? "on" : "off"}`);
  return parts.length ? `: ${parts.join(", ")}` : "";
}

function gateName(data: EventData): string {
  const gate = data.str("gate");
  if (gate === "guardrail-watch") return "guardrail watch";
  return gate ? `gate before ${gate}` : "gate";
}

function restoreOutcome(succeeded: boolean, data: EventData): string {
  const nodes = data.records("nodes");
  const ok = nodes.filter((node) => node.bool("ok") === true);
  const how = data.bool("automatic") ? " (automatic)" : "";
  if (succeeded) return `bookmark restored on ${ok.length} of ${plural(nodes.length, "node")}${how}`;
  const failed = nodes
    .filter((node) => node.bool("ok") !== true)
    .map((node) => `${node.str("name") ?? "a node"}${node.str("error") ? ` (${node.str("error")})` : ""}`);
  return `bookmark restore failed${how}: ${ok.length} of ${plural(nodes.length, "node")} restored${failed.length ? `; failed on ${failed.join(", ")}` : ""}`;
}

function took(data: EventData, before: string, after = ""): string {
  const ms = data.num("durationMs");
  return ms === null ? "" : `${before}${formatDuration(ms)}${after}`;
}

function ratio(done: number | null, required: number | null): string {
  if (done === null) return "";
  return required === null ? ` (${done})` : ` (${done} of ${required})`;
}

function plural(value: number, noun: string): string {
  return `${value} ${noun}${value === 1 ? "" : "s"}`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > MAX_DESCRIPTION_LENGTH ? `${flat.slice(0, MAX_DESCRIPTION_LENGTH - 1)}…` : flat;
}
