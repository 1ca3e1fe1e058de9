import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultSimLock } from "@/lib/agent/drivers/sim/create-sim-driver";
import { startFleet, type RunningFleet } from "@/lib/agent/fleet/start-fleet";
import { createAgentClient } from "@/lib/protocol";
import { createUser, registerFleetNodes } from "@/prisma/factories";
import { verifyAuditChain } from "../audit-log";
import { db } from "../db";
import { captureBookmark } from "./capture-bookmark";
import { performBookmarkRestore, requestBookmarkRestore } from "./restore-bookmark";

const NEXT_LOCK = { core: "2026.11.3", plugins: { ...defaultSimLock.plugins, "@openclaw/slack": "2026.11.4" } };

let fleet: RunningFleet;
let stateDir: string;

beforeEach(async () => {
  stateDir = await mkdtemp(path.join(os.tmpdir(), "rollbook-restore-"));
  fleet = await startFleet({ count: 3, stateDir, speed: 50 });
  // No version yet: the restore must be what writes it.
  await registerFleetNodes(db, fleet, { coreVersion: null });
});

afterEach(async () => {
  await fleet.close();
  await rm(stateDir, { recursive: true, force: true });
});

async function agentTargets() {
  return db.node.findMany({ select: { id: true, name: true, agentUrl: true, agentSecret: true }, orderBy: { name: "asc" } });
}

describe("bookmarks over real node agents", () => {
  it("captures every node, and a restore puts versions, weights and drain state back", async () => {
    const approver = await createUser(db, { role: "approver" });
    const bookmarkId = await captureBookmark({
      planId: null,
      stepId: null,
      scope: "plan",
      label: "before test",
      releaseSha256: null,
      nodes: await agentTargets(),
    });

    // Move every node away from the bookmark: new release, weight 0, drained.
    for (const member of fleet.nodes) {
      const client = createAgentClient({ url: member.url, secret: member.secret });
      for (const [action, body] of [
        ["drain", {}],
        ["set-weight", { weight: 0 }],
        ["upgrade", { lock: NEXT_LOCK }],
      ] as const) {
        const accepted = await client.action(action, body);
        expect((await client.waitForOperation(accepted.operation.id, { timeoutMs: 10_000 })).status).toBe("succeeded");
      }
      expect((await client.readiness()).installed.core).toBe("2026.11.3");
    }

    const restoreId = await requestBookmarkRestore({ actor: approver, bookmarkId, reason: "test" });
    await performBookmarkRestore(restoreId);

    const restore = await db.bookmarkRestore.findUniqueOrThrow({ where: { id: restoreId } });
    expect(restore.status).toBe("succeeded");
    for (const member of fleet.nodes) {
      const readiness = await createAgentClient({ url: member.url, secret: member.secret }).readiness();
      expect(readiness.installed).toEqual(defaultSimLock);
      expect(readiness.lb).toEqual({ weight: 100, drained: false });
    }
    const nodes = await db.node.findMany();
    expect(nodes.map((node) => node.coreVersion)).toEqual(["2026.11.2", "2026.11.2", "2026.11.2"]);
    const kinds = (await db.auditEvent.findMany({ orderBy: { seq: "asc" } })).map((event) => event.kind);
    expect(kinds).toContain("bookmark.captured");
    expect(kinds).toContain("bookmark.restored");
    expect(kinds.filter((kind) => kind === "agent.call")).toHaveLength(9);
    expect((await verifyAuditChain()).firstBreak).toBeNull();
  });

  it("running the restore job twice calls no agent a second time for the same step", async () => {
    const approver = await createUser(db, { role: "approver" });
    const bookmarkId = await captureBookmark({
      planId: null,
      stepId: null,
      scope: "plan",
      label: "b",
      releaseSha256: null,
      nodes: await agentTargets(),
    });
    const restoreId = await requestBookmarkRestore({ actor: approver, bookmarkId, reason: "test" });
    await db.bookmarkRestore.update({ where: { id: restoreId }, data: { status: "running" } });
    await performBookmarkRestore(restoreId);
    // Simulate a crash after the agents worked but before the outcome was saved: run it again.
    await db.bookmarkRestore.update({ where: { id: restoreId }, data: { status: "running" } });
    await performBookmarkRestore(restoreId);
    const calls = await db.auditEvent.findMany({ where: { kind: "agent.call" } });
    const repeated = calls.filter((event) => (event.data as { repeated?: boolean }).repeated === true);
    expect(calls).toHaveLength(18);
    expect(repeated).toHaveLength(9);
  });

  it("refuses a viewer, and fails a capture when a node cannot be read", async () => {
    const viewer = await createUser(db, { role: "viewer" });
    const [first] = await agentTargets();
    const bookmarkId = await captureBookmark({
      planId: null,
      stepId: null,
      scope: "node",
      label: "one",
      releaseSha256: null,
      nodes: [first!],
    });
    await expect(requestBookmarkRestore({ actor: viewer, bookmarkId, reason: "no" })).rejects.toMatchObject({ code: "forbidden" });

    const unreachable = { ...first!, name: "gw-gone", agentUrl: "http://127.0.0.1:9" };
    await expect(
      captureBookmark({ planId: null, stepId: null, scope: "node", label: "x", releaseSha256: null, nodes: [unreachable] }),
    ).rejects.toMatchObject({ code: "agent_unreachable" });
  });
});
