import { describe, expect, it } from "vitest";
import { signedAuditCheckpointSchema } from "@/lib/audit/audit-checkpoint";
import { findAuditCheckpoints } from "@/lib/audit/find-audit-checkpoints";
import { verifyIncidentBundle } from "@/lib/exports";
import { parseCsv } from "@/lib/exports/testing/parse-csv";
import { createUser } from "@/prisma/factories";
import { auditCheckpointKey } from "../audit/audit-checkpoint-key";
import { recordAuditEvent, verifyAuditChain } from "../audit-log";
import { db } from "../db";
import { exportIncident } from "./export-incident";

async function setUp() {
  const user = await createUser(db, { role: "viewer" });
  const actor = { id: user.id, email: user.email, name: user.name, role: user.role };
  const from = new Date(Date.now() - 60_000);
  for (let index = 0; index < 4; index += 1) await recordAuditEvent({ kind: "test.event", data: { index } });
  // The window ends before the last two events: the bundle's end is not the log's head.
  await new Promise((resolve) => setTimeout(resolve, 5));
  const to = new Date();
  await new Promise((resolve) => setTimeout(resolve, 5));
  for (let index = 0; index < 2; index += 1) await recordAuditEvent({ kind: "test.later", data: { index } });
  return { actor, scope: { from, to } };
}

describe("exports carry the signed audit checkpoint", () => {
  it("a JSON bundle signs its own end and carries the log's head; cut at the end, it fails offline", async () => {
    const { actor, scope } = await setUp();
    const text = await (await exportIncident({ actor, scope, format: "json" })).text();
    const bundle = JSON.parse(text) as {
      events: { seq: string; hash: string }[];
      chain: { checkpoint: unknown; logCheckpoint: unknown; count: number; headHash: string; lastSeq: string };
    };
    const publicKey = auditCheckpointKey().publicKey;
    const lastSeq = bundle.events.at(-1)!.seq;
    expect(lastSeq).toBe("4");
    expect(signedAuditCheckpointSchema.parse(bundle.chain.checkpoint)).toMatchObject({ sequence: lastSeq, publicKey });
    const head = await db.auditEvent.findFirstOrThrow({ orderBy: { seq: "desc" } });
    expect(signedAuditCheckpointSchema.parse(bundle.chain.logCheckpoint)).toMatchObject({ sequence: head.seq.toString(), hash: head.hash });
    await expect(verifyIncidentBundle(bundle, { publicKey })).resolves.toMatchObject({ ok: true, keyPinned: true, lastSeq });

    // The bundle's checkpoints are checkpoints of the live log too.
    const found = findAuditCheckpoints(text);
    expect(found.checkpoints).toHaveLength(2);
    await expect(verifyAuditChain({ checkpoints: found.checkpoints })).resolves.toMatchObject({ ok: true });

    bundle.events.pop();
    bundle.chain = {
      ...bundle.chain,
      count: bundle.events.length,
      headHash: bundle.events.at(-1)!.hash,
      lastSeq: bundle.events.at(-1)!.seq,
    };
    const cut = await verifyIncidentBundle(bundle, { publicKey });
    expect(cut).toMatchObject({ ok: false, problem: "truncated" });
    expect(!cut.ok && cut.message).toMatch(
      new RegExp(`^The chain ends at sequence ${Number(lastSeq) - 1} before checkpoint ${lastSeq} \\(signed at `),
    );
  });

  it("the CSV ends with the checkpoint row and the Markdown footer quotes it", async () => {
    const { actor, scope } = await setUp();
    const head = await db.auditEvent.findFirstOrThrow({ orderBy: { seq: "desc" } });

    const csv = parseCsv((await (await exportIncident({ actor, scope, format: "csv" })).text()).replace(/^\uFEFF/, ""));
    const checkpointRow = csv.at(-1)!;
    expect(checkpointRow[2]).toBe("audit.checkpoint");
    const fromCsv = signedAuditCheckpointSchema.parse(JSON.parse(checkpointRow[7]!));
    expect(fromCsv).toMatchObject({ sequence: head.seq.toString(), hash: head.hash });

    const markdown = await (await exportIncident({ actor, scope, format: "md" })).text();
    const fromMarkdown = findAuditCheckpoints(/```json\n(.+)\n```/.exec(markdown)?.[1] ?? "");
    expect(fromMarkdown.checkpoints).toMatchObject([{ sequence: head.seq.toString(), hash: head.hash }]);
    await expect(verifyAuditChain({ checkpoints: [fromCsv, ...fromMarkdown.checkpoints] })).resolves.toMatchObject({ ok: true });
  });
});
