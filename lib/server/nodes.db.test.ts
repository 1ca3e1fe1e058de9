import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ZodError } from "zod";
import { describe, expect, it } from "vitest";
import { startFleet } from "@/lib/agent/fleet/start-fleet";
import { AppError } from "@/lib/app-error";
import { createAgentClient } from "@/lib/protocol";
import { agentSecret, createNode, createUser } from "@/prisma/factories";
import { agentClientFor } from "./agents/run-agent-action";
import { db } from "./db";
import { listFleetNodes, registerNode } from "./nodes";

function registration(overrides: Record<string, unknown> = {}) {
  return {
    name: "gw-new-1",
    agentUrl: "http://127.0.0.1:9150",
    agentSecret: agentSecret(),
    role: "canary",
    region: "us-east-1",
    ...overrides,
  };
}

describe("registerNode", () => {
  it("lets an operator register a node, audited in the same transaction", async () => {
    const operator = await createUser(db, { role: "operator" });
    const node = await registerNode({ actor: operator, input: registration() });
    expect(node).toMatchObject({ name: "gw-new-1", role: "canary", region: "us-east-1" });
    expect(node).not.toHaveProperty("agentSecret");
    const event = await db.auditEvent.findFirstOrThrow({ where: { kind: "node.registered" } });
    expect(event).toMatchObject({ actorId: operator.id, nodeId: node.id });
  });

  it("stores the agent secret encrypted, and calls to the agent still sign with the real one", async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), "rollbook-sealed-secret-"));
    const fleet = await startFleet({ count: 1, stateDir });
    try {
      const member = fleet.nodes[0]!;
      const operator = await createUser(db, { role: "operator" });
      const node = await registerNode({ actor: operator, input: registration({ agentUrl: member.url, agentSecret: member.secret }) });
      const stored = await db.node.findUniqueOrThrow({ where: { id: node.id }, select: { agentUrl: true, agentSecret: true } });
      expect(stored.agentSecret).toMatch(/^sealed:v1:/);
      expect(stored.agentSecret).not.toContain(member.secret.slice("whsec_".length));
      // Signed: the agent refuses anything but the real secret.
      expect((await agentClientFor(stored).readiness()).node.name).toBe(member.name);
      await expect(
        createAgentClient({ url: stored.agentUrl, secret: `whsec_${Buffer.from(stored.agentSecret).toString("base64")}` }).readiness(),
      ).rejects.toMatchObject({ code: "rejected", status: 401 });
    } finally {
      await fleet.close();
      await rm(stateDir, { recursive: true, force: true });
    }
  });

  it("refuses a viewer and writes nothing", async () => {
    const viewer = await createUser(db, { role: "viewer" });
    await expect(registerNode({ actor: viewer, input: registration() })).rejects.toMatchObject({ code: "forbidden" });
    expect(await db.node.count()).toBe(0);
    expect(await db.auditEvent.count()).toBe(0);
  });

  it("reports invalid fields and writes nothing", async () => {
    const operator = await createUser(db, { role: "operator" });
    const attempt = registerNode({ actor: operator, input: registration({ agentUrl: "javascript:alert(1)", role: "king" }) });
    await expect(attempt).rejects.toBeInstanceOf(ZodError);
    expect(await db.node.count()).toBe(0);
  });

  it("reports a duplicate name as a conflict on the name field", async () => {
    const operator = await createUser(db, { role: "operator" });
    await createNode(db, { name: "gw-taken" });
    const error = await registerNode({ actor: operator, input: registration({ name: "gw-taken" }) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "conflict", fieldErrors: { name: ["This name is already taken"] } });
    expect(await db.auditEvent.count()).toBe(0);
  });
});

describe("listFleetNodes", () => {
  it("filters by role, region and name, and never returns secrets", async () => {
    const viewer = await createUser(db);
    await createNode(db, { name: "gw-eu-a", role: "canary", region: "eu-west-1" });
    await createNode(db, { name: "gw-eu-b", role: "stable", region: "eu-west-1" });
    await createNode(db, { name: "gw-us-a", role: "stable", region: "us-east-1" });

    const names = async (filter: Parameters<typeof listFleetNodes>[0]["filter"]) =>
      (await listFleetNodes({ actor: viewer, filter })).map((node) => node.name);

    expect(await names({})).toHaveLength(3);
    expect(await names({ role: "canary" })).toEqual(["gw-eu-a"]);
    expect(await names({ region: "eu-west-1" })).toEqual(["gw-eu-a", "gw-eu-b"]);
    expect(await names({ q: "US" })).toEqual(["gw-us-a"]);
    const [node] = await listFleetNodes({ actor: viewer });
    expect(JSON.stringify(node)).not.toContain("whsec_");
  });
});
