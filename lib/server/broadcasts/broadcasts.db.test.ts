import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { agentSecret, createNode, createUser } from "@/prisma/factories";
import type { FleetNodeStatus } from "@/lib/fleet/fleet-node-status";
import { signedAuditCheckpointSchema, verifyAuditCheckpointSignature } from "@/lib/audit/audit-checkpoint";
import { exampleManifests } from "@/lib/releases";
import { auditCheckpointKey } from "../audit/audit-checkpoint-key";
import { verifyAuditChain } from "../audit-log";
import { db } from "../db";
import { applyPlanEventOrThrow } from "../plans/apply-status";
import { createPlan } from "../plans/create-plan";
import { createRelease } from "../releases";
import { queueRedNodeBroadcasts } from "./queue-red-node-broadcasts";
import { sendBroadcast } from "./send-broadcast";

const SECRET = agentSecret();
let receiver: Server;
let received: { headers: IncomingMessage["headers"]; body: string }[];
let failNext = 0;

beforeEach(async () => {
  received = [];
  receiver = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      response.writeHead(failNext-- > 0 ? 503 : 204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  process.env.ROLLBOOK_BROADCAST_URLS = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  process.env.ROLLBOOK_BROADCAST_SECRET = SECRET;
});

afterEach(async () => {
  delete process.env.ROLLBOOK_BROADCAST_URLS;
  delete process.env.ROLLBOOK_BROADCAST_SECRET;
  failNext = 0;
  await new Promise((resolve) => receiver.close(resolve));
});

function redStatus(node: { id: string; name: string }): FleetNodeStatus {
  return {
    id: node.id,
    name: node.name,
    agentUrl: "http://127.0.0.1:9",
    role: "canary",
    region: "eu-west-1",
    coreVersion: "2026.11.3",
    lbWeight: 0,
    updatedAt: new Date().toISOString(),
    readiness: {
      color: "red",
      label: "failing",
      reasons: [{ code: "doctor_fail", message: "config-shape: auth.gateway.mode missing" }],
      ageMs: 1000,
    },
    probeDisagreement: null,
    memorySpark: [],
    queueSpark: [],
  };
}

async function runningPlanWith(nodeId: string) {
  const author = await createUser(db, { role: "operator" });
  const from = (await createRelease({ actor: author, source: { manifest: exampleManifests.stable } })).release;
  const to = (await createRelease({ actor: author, source: { manifest: exampleManifests.successor } })).release;
  const plan = await createPlan({
    actor: author,
    input: {
      title: "t",
      fromReleaseId: from.id,
      toReleaseId: to.id,
      nodeIds: [nodeId],
      strategy: { kind: "big_bang", holdSeconds: 0 },
      approvalsRequired: 1,
      autoRollback: false,
    },
  });
  // Through the one status applier, like the engine: the database refuses a draft → running jump.
  await db.$transaction(async (tx) => {
    await applyPlanEventOrThrow(tx, { planId: plan.id, event: "approve" });
    await applyPlanEventOrThrow(tx, { planId: plan.id, event: "start" });
  });
  return plan;
}

describe("failure broadcasts", () => {
  it("queues one signed event per incident, however many polls see the node red", async () => {
    const node = await createNode(db, { role: "canary" });
    await db.nodeHealth.create({ data: { nodeId: node.id, lastAttemptAt: new Date() } });
    const plan = await runningPlanWith(node.id);

    expect(await queueRedNodeBroadcasts([redStatus(node)])).toBe(1);
    expect(await queueRedNodeBroadcasts([redStatus(node)])).toBe(0);
    expect(await queueRedNodeBroadcasts([redStatus(node)])).toBe(0);
    const [broadcast] = await db.broadcast.findMany();
    expect(await db.broadcast.count()).toBe(1);

    await sendBroadcast(broadcast!.id);
    expect(received).toHaveLength(1);
    const delivery = received[0]!;
    const verified = new Webhook(SECRET).verify(delivery.body, delivery.headers as Record<string, string>) as {
      type: string;
      plan: { id: string };
      node: { name: string };
    };
    expect(verified).toMatchObject({ type: "rollbook.node.red", plan: { id: plan.id }, node: { name: node.name } });
    // The log's head rides along, signed: the receiver holds a checkpoint outside Rollbook's database.
    const checkpoint = signedAuditCheckpointSchema.parse((verified as { auditCheckpoint?: unknown }).auditCheckpoint);
    const head = await db.auditEvent.findFirstOrThrow({ where: { kind: "broadcast.queued" }, orderBy: { seq: "desc" } });
    expect(checkpoint).toMatchObject({ sequence: head.seq.toString(), hash: head.hash, publicKey: auditCheckpointKey().publicKey });
    expect(verifyAuditCheckpointSignature(checkpoint, auditCheckpointKey().publicKey)).toEqual({ ok: true });
    await expect(verifyAuditChain({ checkpoints: [checkpoint] })).resolves.toMatchObject({
      ok: true,
      checkpoints: { checked: 1, problems: [] },
    });
    await sendBroadcast(broadcast!.id);
    expect(received).toHaveLength(1);
    expect(await db.auditEvent.count({ where: { kind: "broadcast.sent" } })).toBe(1);

    // Recovering and failing again is a new incident.
    expect(await queueRedNodeBroadcasts([])).toBe(0);
    expect(await queueRedNodeBroadcasts([redStatus(node)], new Date(Date.now() + 60_000))).toBe(1);
    expect(await db.broadcast.count()).toBe(2);
  });

  it("throws on a failed delivery so the queue retries, and succeeds on the retry", async () => {
    const node = await createNode(db, { role: "canary" });
    await db.nodeHealth.create({ data: { nodeId: node.id, lastAttemptAt: new Date() } });
    await runningPlanWith(node.id);
    await queueRedNodeBroadcasts([redStatus(node)]);
    const [broadcast] = await db.broadcast.findMany();
    failNext = 1;
    await expect(sendBroadcast(broadcast!.id)).rejects.toThrow("HTTP 503");
    expect(await db.broadcast.findUniqueOrThrow({ where: { id: broadcast!.id } })).toMatchObject({ status: "pending", attempts: 1 });
    await sendBroadcast(broadcast!.id);
    expect(await db.broadcast.findUniqueOrThrow({ where: { id: broadcast!.id } })).toMatchObject({ status: "sent", attempts: 2 });
    expect(received).toHaveLength(2);
    expect(received[0]!.headers["webhook-id"]).toBe(received[1]!.headers["webhook-id"]);
  });

  it("does not broadcast a red node that is in no running plan", async () => {
    const node = await createNode(db);
    await db.nodeHealth.create({ data: { nodeId: node.id, lastAttemptAt: new Date() } });
    expect(await queueRedNodeBroadcasts([redStatus(node)])).toBe(0);
    expect((await db.nodeHealth.findUniqueOrThrow({ where: { nodeId: node.id } })).redSince).not.toBeNull();
  });
});
