import "server-only";
import pLimit from "p-limit";
import { AgentCallError, createAgentClient } from "@/lib/protocol";
import { openAgentSecret } from "@/lib/security/agent-secrets";
import { db } from "./db";

export interface NodeSyncResult {
  synced: string[];
  failed: { name: string; code: string; message: string }[];
}

/**
 * Asks every node agent for its readiness document and records the installed core version and LB
 * weight it reports. Calls run concurrently with a bound (a slow agent costs its own timeout, not
 * everyone's); an unreachable or misbehaving agent is reported, never fatal.
 */
export async function syncNodesFromAgents(options: { concurrency?: number; timeoutMs?: number } = {}): Promise<NodeSyncResult> {
  const nodes = await db.node.findMany({ select: { id: true, name: true, agentUrl: true, agentSecret: true } });
  const limit = pLimit(options.concurrency ?? 16);
  const result: NodeSyncResult = { synced: [], failed: [] };
  await Promise.all(
    nodes.map((node) =>
      limit(async () => {
        try {
          const client = createAgentClient({
            url: node.agentUrl,
            secret: openAgentSecret(node.agentSecret),
            timeoutMs: options.timeoutMs ?? 3_000,
          });
          const readiness = await client.readiness();
          await db.node.update({ where: { id: node.id }, data: { coreVersion: readiness.installed.core, lbWeight: readiness.lb.weight } });
          result.synced.push(node.name);
        } catch (error) {
          const code = error instanceof AgentCallError ? error.code : "internal";
          result.failed.push({ name: node.name, code, message: error instanceof Error ? error.message : String(error) });
        }
      }),
    ),
  );
  return result;
}
