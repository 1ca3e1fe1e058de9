import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { auditHash, GENESIS_HASH, type ChainedAuditEvent } from "@/lib/audit/audit-hash";
import { exportPostmortemMarkdown, type PostmortemPlan } from "./export-postmortem-markdown";
import { scriptedRollout } from "./testing/scripted-rollout";
import { testCheckpointSigner, testLogHead } from "./testing/test-checkpoints";

const GOLDEN = path.join(import.meta.dirname, "__golden__", "scripted-rollout.md");
const rollout = scriptedRollout();

/** Chains hand-written events so the footer's head hash is real. */
function chain(contents: Omit<ChainedAuditEvent, "prevHash" | "hash" | "seq">[]): ChainedAuditEvent[] {
  let prevHash = GENESIS_HASH;
  return contents.map((content, index) => {
    const withSeq = { ...content, seq: String(index + 1) };
    const hash = auditHash(prevHash, withSeq);
    const event = { ...withSeq, prevHash, hash };
    prevHash = hash;
    return event;
  });
}

/** Yields the events once and fails a second iteration: the exporter must be single-pass. */
function once(events: ChainedAuditEvent[]): AsyncIterable<ChainedAuditEvent> {
  let used = false;
  return {
    async *[Symbol.asyncIterator]() {
      if (used) throw new Error("iterated twice");
      used = true;
      yield* events;
    },
  };
}

/** A table row with these cells, whatever the column padding. */
function row(...cells: string[]): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`\\| ${cells.map(escape).join(" +\\| ")} +\\|`);
}

const quietPlan: PostmortemPlan = {
  ...rollout.plan,
  id: "plan_quiet",
  title: "Quiet | <b>bold</b> *plan*\nwith [a link](http://x)",
  status: "completed",
  statusReason: "All nodes upgraded",
  steps: [{ status: "succeeded" }],
};

describe("exportPostmortemMarkdown", () => {
  it("matches the golden draft for the scripted rollout (UPDATE_GOLDEN=1 rewrites it)", async () => {
    const markdown = await exportPostmortemMarkdown({ plan: rollout.plan, events: once(rollout.events), generatedAt: rollout.generatedAt });
    if (process.env.UPDATE_GOLDEN === "1") await writeFile(GOLDEN, markdown);
    expect(markdown).toBe(await readFile(GOLDEN, "utf8"));
  });

  it("quotes the log's signed head in the footer, as a checkpoint audit:verify reads back", async () => {
    const checkpoint = testLogHead(rollout.events, rollout.generatedAt);
    const markdown = await exportPostmortemMarkdown({
      plan: rollout.plan,
      events: rollout.events,
      generatedAt: rollout.generatedAt,
      checkpoint,
    });
    const fenced = /```json\n(.+)\n```\n$/.exec(markdown);
    expect(JSON.parse(fenced?.[1] ?? "null")).toEqual(checkpoint);
    expect(markdown).toContain(
      `head when this draft was generated: #${rollout.events.length}, Ed25519 key \`${testCheckpointSigner.publicKey}\``,
    );
    expect(markdown).toContain("npm run audit:verify -- --checkpoint <file>");
  });

  it("renders the same bytes from an array and from a stream, and ignores other plans' events", async () => {
    const fromArray = await exportPostmortemMarkdown({ plan: rollout.plan, events: rollout.events, generatedAt: rollout.generatedAt });
    const planOnly = rollout.events.filter((event) => event.planId === rollout.plan.id);
    const fromPlanOnly = await exportPostmortemMarkdown({ plan: rollout.plan, events: once(planOnly), generatedAt: rollout.generatedAt });
    const body = (text: string) => text.slice(0, text.indexOf("\n---\n"));
    expect(body(fromPlanOnly)).toBe(body(fromArray));
    expect(fromArray).not.toContain("HYPERLINK");
    expect(fromArray).not.toContain("signed in");
  });

  it("covers the parts of the brief: summary, timeline, decisions, gates, bookmarks, questions, head hash", async () => {
    const markdown = await exportPostmortemMarkdown({ plan: rollout.plan, events: rollout.events, generatedAt: rollout.generatedAt });
    expect(markdown).toContain("- **Change:** gw-2026.11.2 (core 2026.11.2) → gw-2026.11.3 (core 2026.11.3) on 3 nodes");
    expect(markdown).toContain("- **Approved by:** bob@ops.example at 2026-11-23 10:03:00 (1 of 1 required)");
    expect(markdown).toMatch(row("2026-11-23 10:05:30", "bob@ops.example", "bob@ops.example activated restart on gw-eu-1"));
    expect(markdown).toMatch(row("widen", "gw-eu-2", "gw-eu-1", "memory (maxMemoryPercent)", "78.2%", "≤ 75%", "**tripped**"));
    expect(markdown).toMatch(
      /\| before plan start +\| Rollbook \(automatic\) +\| .* \| bookmark restored on 3 of 3 nodes \(automatic\) +\|/,
    );
    expect(markdown).toContain("- Why did widen fail on gw-eu-2?");
    expect(markdown).toContain("was the guardrail threshold right");
    expect(markdown).not.toContain("agent.call |");
    expect(markdown).toMatch(/_Left out: 52 routine agent events \(26 agent.call, 26 successful agent.reply\)/);
    expect(markdown).toContain(`Head hash \`${rollout.events.at(-1)?.hash}\` at #${rollout.events.at(-1)?.seq}`);
  });

  it("shows failed agent traffic in the timeline and asks about it, and counts the rest", async () => {
    const at = (minute: number) => `2026-11-23T10:${String(minute).padStart(2, "0")}:00.000Z`;
    const base = { actorId: null, actorEmail: null, nodeId: "node_1", planId: quietPlan.id };
    const events = chain([
      { ...base, at: at(1), kind: "agent.call", data: { node: "gw-1", action: "upgrade", durationMs: 30 } },
      {
        ...base,
        at: at(2),
        kind: "agent.reply",
        data: { node: "gw-1", action: "upgrade", status: "failed", durationMs: 9_000, error: "npm ERR! 404" },
      },
      { ...base, at: at(3), kind: "agent.call_failed", data: { node: "gw-1", action: "drain", code: "timeout", message: "no answer" } },
      { ...base, at: at(4), kind: "agent.call", data: { node: "gw-1", action: "verify", durationMs: 30 } },
      { ...base, at: at(5), kind: "agent.reply", data: { node: "gw-1", action: "verify", status: "succeeded", durationMs: 900 } },
    ]);
    const markdown = await exportPostmortemMarkdown({ plan: quietPlan, events, generatedAt: rollout.generatedAt });
    expect(markdown).toMatch(row("2026-11-23 10:02:00", "Rollbook", "gw-1 reports upgrade failed after 9.0 s: npm ERR! 404"));
    expect(markdown).toMatch(row("2026-11-23 10:03:00", "Rollbook", "drain call to gw-1 failed (timeout): no answer"));
    expect(markdown).not.toContain("upgrade sent to gw-1");
    expect(markdown).toContain("_Left out: 3 routine agent events (2 agent.call, 1 successful agent.reply)");
    expect(markdown).toContain("- Why did upgrade end failed on gw-1 (“npm ERR! 404”)?");
    expect(markdown).toContain("- Was gw-1 healthy when drain failed (timeout: no answer)?");
  });

  it("escapes Markdown in text from the log and says when nothing went wrong", async () => {
    const events = chain([
      {
        at: "2026-11-23T10:00:00.000Z",
        actorId: "u",
        actorEmail: "ann@ops.example",
        kind: "plan.created",
        nodeId: null,
        planId: quietPlan.id,
        data: { title: quietPlan.title },
      },
    ]);
    const markdown = await exportPostmortemMarkdown({ plan: quietPlan, events, generatedAt: rollout.generatedAt });
    expect(markdown.split("\n")[0]).toBe("# Postmortem draft: Quiet \\| &lt;b>bold&lt;/b> \\*plan\\* with \\[a link\\](http://x)");
    expect(markdown).not.toContain("<b>");
    expect(markdown).toContain("- None generated: the log shows no failure, trip, pause, abort or restore. Add your own.");
    expect(markdown).toContain("- **Outcome:** completed — All nodes upgraded");
  });

  it("drafts a review for a time window from the events inside it", async () => {
    const markdown = await exportPostmortemMarkdown({
      window: { from: new Date("2026-11-23T10:20:00Z"), to: new Date("2026-11-23T10:30:00Z") },
      events: once(rollout.events),
      generatedAt: rollout.generatedAt,
    });
    expect(markdown.split("\n")[0]).toBe("# Incident review draft: 2026-11-23 10:20:00 to 2026-11-23 10:30:00 UTC");
    expect(markdown).toContain("- **Plans involved:** `plan_eu_leaky`");
    expect(markdown).toContain("gate before widen tripped: gw-eu-1 memory 78.2% > 75%");
    expect(markdown).not.toContain("created plan");
    expect(markdown).toContain(`read ${rollout.events.length} events`);
  });

  it("describes an empty input without failing", async () => {
    const markdown = await exportPostmortemMarkdown({ plan: quietPlan, events: [], generatedAt: rollout.generatedAt });
    expect(markdown).toContain("_No events in scope._");
    expect(markdown).toContain("Audit chain: no events were read.");
  });
});
