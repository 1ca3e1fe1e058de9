import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AgentCallError } from "./agent-call-error";
import { createAgentClient } from "./create-agent-client";
import { generateAgentSecret } from "./generate-agent-secret";
import { readinessReportFixture } from "./testing/readiness-report-fixture";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A deliberately broken "agent" on an ephemeral port: each test decides how it misbehaves. */
async function fakeAgent(handler: Handler): Promise<{ url: string; server: Server; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, requests };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
};

const secret = generateAgentSecret();

async function callError(promise: Promise<unknown>): Promise<AgentCallError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AgentCallError);
    return error as AgentCallError;
  }
  throw new Error("expected the call to fail");
}

const operation = (status: string) => ({
  id: "op_1",
  action: "drain",
  status,
  request: {},
  createdAt: new Date().toISOString(),
  startedAt: null,
  finishedAt: null,
  log: [],
  result: null,
  error: null,
});

describe("createAgentClient against misbehaving agents", () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
  async function agent(handler: Handler) {
    const fake = await fakeAgent(handler);
    servers.push(fake.server);
    return fake;
  }

  it("signs /v1 requests with the Standard Webhooks headers", async () => {
    const fake = await agent((_req, res) => json(res, 200, { ok: true }));
    await createAgentClient({ url: fake.url, secret }).health();
    await expect(createAgentClient({ url: fake.url, secret }).doctor()).rejects.toMatchObject({ code: "bad_reply" });
    expect(fake.requests[0]?.headers["webhook-signature"]).toBeUndefined();
    expect(fake.requests[1]?.headers["webhook-signature"]).toMatch(/^v1,/);
    expect(fake.requests[1]?.headers["webhook-id"]).toMatch(/^msg_/);
  });

  it("reports a reply that is not JSON as bad_reply", async () => {
    const fake = await agent((_req, res) => json(res, 200, "<html>oops</html>"));
    expect((await callError(createAgentClient({ url: fake.url, secret }).health())).code).toBe("bad_reply");
  });

  it("reports a reply that breaks the schema as bad_reply, naming the field", async () => {
    const fake = await agent((_req, res) => json(res, 200, { depth: -1, inFlight: 0 }));
    const error = await callError(createAgentClient({ url: fake.url, secret }).queueSnapshot());
    expect(error.code).toBe("bad_reply");
    expect(error.message).toMatch(/depth/);
  });

  it("reports an oversized reply as bad_reply without buffering it all", async () => {
    const fake = await agent((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = "x".repeat(64 * 1024);
      const write = () => {
        while (res.write(chunk)) {
          if (res.writableLength > 4 * 1024 * 1024) break;
        }
      };
      write();
      res.on("drain", write);
    });
    const error = await callError(createAgentClient({ url: fake.url, secret, maxReplyBytes: 256 * 1024 }).health());
    expect(error.code).toBe("bad_reply");
    expect(error.message).toMatch(/exceeds/);
    const declared = await agent((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(10 * 1024 * 1024) });
      res.write("{");
    });
    expect((await callError(createAgentClient({ url: declared.url, secret }).health())).code).toBe("bad_reply");
  });

  it("times out on an agent that never answers, or stalls mid-body", async () => {
    const silent = await agent(() => undefined);
    const started = Date.now();
    expect((await callError(createAgentClient({ url: silent.url, secret, timeoutMs: 150 }).health())).code).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(2_000);
    const stalling = await agent((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"ok":');
    });
    expect((await callError(createAgentClient({ url: stalling.url, secret, timeoutMs: 150 }).health())).code).toBe("timeout");
  });

  it("reports a closed port as unreachable", async () => {
    const fake = await agent(() => undefined);
    const url = fake.url;
    servers.splice(0);
    await new Promise((resolve) => fake.server.close(resolve));
    expect((await callError(createAgentClient({ url, secret }).health())).code).toBe("unreachable");
  });

  it("maps structured 4xx to rejected and anything else to http_error", async () => {
    const rejecting = await agent((_req, res) =>
      json(res, 409, { error: { code: "action_in_progress", message: "busy", runningOperationId: "op_9" } }),
    );
    const rejected = await callError(createAgentClient({ url: rejecting.url, secret }).drain());
    expect(rejected).toMatchObject({
      code: "rejected",
      status: 409,
      agentError: { code: "action_in_progress", runningOperationId: "op_9" },
    });
    const crashing = await agent((_req, res) => json(res, 502, "<html>Bad Gateway</html>"));
    expect(await callError(createAgentClient({ url: crashing.url, secret }).doctor())).toMatchObject({ code: "http_error", status: 502 });
  });

  it("rejects a readiness reply whose probe hash does not match its parts", async () => {
    // Schema-valid, but the hash is not the one of its parts.
    const readiness = readinessReportFixture({ ready_probe_sha256: "f".repeat(64) });
    const fake = await agent((_req, res) => json(res, 200, readiness));
    const error = await callError(createAgentClient({ url: fake.url, secret }).readiness());
    expect(error.code).toBe("bad_reply");
    expect(error.message).toMatch(/ready_probe_sha256/);
  });

  it("waitForOperation polls to a terminal state and times out otherwise", async () => {
    let polls = 0;
    const finishing = await agent((_req, res) => json(res, 200, operation(++polls >= 3 ? "succeeded" : "running")));
    const done = await createAgentClient({ url: finishing.url, secret }).waitForOperation("op_1", { timeoutMs: 2_000, pollMs: 10 });
    expect(done.status).toBe("succeeded");
    expect(polls).toBe(3);

    const stuck = await agent((_req, res) => json(res, 200, operation("running")));
    const error = await callError(createAgentClient({ url: stuck.url, secret }).waitForOperation("op_1", { timeoutMs: 200, pollMs: 20 }));
    expect(error.code).toBe("timeout");
  });

  it("validates action input before sending anything", async () => {
    const fake = await agent((_req, res) => json(res, 500, {}));
    await expect(createAgentClient({ url: fake.url, secret }).setWeight({ weight: 101 })).rejects.toThrow();
    await expect(
      createAgentClient({ url: fake.url, secret }).upgrade({ lock: { core: "1.0.0; rm -rf /", plugins: {} } }),
    ).rejects.toThrow();
    expect(fake.requests).toHaveLength(0);
  });

  it("cancelOperation signs a POST with the reason, validates the reply and surfaces operation_finished", async () => {
    const bodies: string[] = [];
    const cancelling = await agent((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        bodies.push(body);
        json(res, 200, { operation: { ...operation("failed"), error: { code: "cancelled", message: "operation cancelled: timeout" } } });
      });
    });
    const client = createAgentClient({ url: cancelling.url, secret });
    const cancelled = await client.cancelOperation("op_1", { reason: "timeout" }, { requestId: "msg_cancel-1" });
    expect(cancelled).toMatchObject({ id: "op_1", status: "failed", error: { code: "cancelled" } });
    expect(cancelling.requests[0]).toMatchObject({ method: "POST", url: "/v1/operations/op_1/cancel" });
    expect(cancelling.requests[0]?.headers["webhook-id"]).toBe("msg_cancel-1");
    expect(cancelling.requests[0]?.headers["webhook-signature"]).toMatch(/^v1,/);
    expect(bodies).toEqual(['{"reason":"timeout"}']);

    const finished = await agent((_req, res) =>
      json(res, 409, { error: { code: "operation_finished", message: "already ended", operation: operation("succeeded") } }),
    );
    const refused = await callError(createAgentClient({ url: finished.url, secret }).cancelOperation("op_1", { reason: "x" }));
    expect(refused).toMatchObject({
      code: "rejected",
      status: 409,
      agentError: { code: "operation_finished", operation: { status: "succeeded" } },
    });

    const broken = await agent((_req, res) => json(res, 200, { operation: { id: "op_1" } }));
    expect((await callError(createAgentClient({ url: broken.url, secret }).cancelOperation("op_1", { reason: "x" }))).code).toBe(
      "bad_reply",
    );

    // Bad input never leaves the process.
    const untouched = await agent((_req, res) => json(res, 500, {}));
    const untouchedClient = createAgentClient({ url: untouched.url, secret });
    await expect(untouchedClient.cancelOperation("op_1", { reason: "" })).rejects.toThrow();
    await expect(untouchedClient.cancelOperation("op_1", { reason: "x".repeat(501) })).rejects.toThrow();
    expect(untouched.requests).toHaveLength(0);
  });

  it("cancelOperation waits longer than the default timeout, for as long as the agent may hold the reply", async () => {
    const slow = await agent((_req, res) => {
      setTimeout(() => json(res, 200, { operation: operation("failed") }), 400);
    });
    const cancelled = await createAgentClient({ url: slow.url, secret, timeoutMs: 100 }).cancelOperation("op_1", { reason: "x" });
    expect(cancelled.status).toBe("failed");
  });
});
