import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  actionReplySchema,
  agentErrorBodySchema,
  createAgentClient,
  generateAgentSecret,
  signRequest,
  type AgentErrorBody,
  type Operation,
} from "@/lib/protocol";
import { createSimDriver, type SimDriver, type SimDriverOptions } from "../drivers/sim/create-sim-driver";
import { startAgent, type RunningAgent } from "../start-agent";

export type TestAgentOptions = {
  stateDir?: string;
  secret?: string;
  name?: string;
  sim?: Omit<SimDriverOptions, "stateDir">;
};

/** A raw reply, with the protocol error or the action's operation picked out when present. */
export type RawReply = {
  status: number;
  json: unknown;
  headers: Headers;
  error: AgentErrorBody["error"] | undefined;
  operation: Operation | undefined;
};

/**
 * A real agent on 127.0.0.1:<ephemeral> over a sim driver in a temp dir, plus a typed client
 * and a raw signed fetch for the tests that must send what the client never would.
 */
export async function startTestAgent(options: TestAgentOptions = {}) {
  const stateDir = options.stateDir ?? (await mkdtemp(path.join(os.tmpdir(), "rollbook-agent-")));
  const secret = options.secret ?? generateAgentSecret();
  const agent: RunningAgent = await startAgent({
    name: options.name ?? "test-node",
    secret,
    stateDir,
    port: 0,
    createDriver: () => createSimDriver({ stateDir, speed: 20, seed: 42, ...options.sim }),
  });
  const client = createAgentClient({ url: agent.url, secret, timeoutMs: 5_000 });

  async function signedFetch(
    method: string,
    pathWithQuery: string,
    body = "",
    sign: { id?: string; timestamp?: Date; secret?: string; signedPath?: string; signedMethod?: string } = {},
  ): Promise<RawReply> {
    const headers = signRequest({
      secret: sign.secret ?? secret,
      method: sign.signedMethod ?? method,
      pathWithQuery: sign.signedPath ?? pathWithQuery,
      body,
      ...(sign.id ? { id: sign.id } : {}),
      ...(sign.timestamp ? { timestamp: sign.timestamp } : {}),
    });
    const response = await fetch(`${agent.url}${pathWithQuery}`, {
      method,
      headers: { ...headers, "content-type": "application/json" },
      ...(method === "GET" ? {} : { body }),
    });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    const error = agentErrorBodySchema.safeParse(json);
    const accepted = actionReplySchema.safeParse(json);
    return {
      status: response.status,
      json,
      headers: response.headers,
      error: error.success ? error.data.error : undefined,
      operation: accepted.success ? accepted.data.operation : undefined,
    };
  }

  return {
    agent,
    client,
    secret,
    stateDir,
    signedFetch,
    sim: agent.driver as SimDriver,
    /** Stops the agent; `keepState` leaves the dir for a restart on the same state. */
    async close(closeOptions: { keepState?: boolean } = {}) {
      await agent.close();
      if (!closeOptions.keepState && !options.stateDir) await rm(stateDir, { recursive: true, force: true });
    },
  };
}

export type TestAgent = Awaited<ReturnType<typeof startTestAgent>>;
