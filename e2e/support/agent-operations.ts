import type { FleetMember } from "@/lib/agent/fleet/start-fleet";
import { createAgentClient, type ActionName, type Operation } from "@/lib/protocol";

/** The agent's own record of what it was asked to do (newest 50), read with the node's secret. */
export async function agentOperations(member: Pick<FleetMember, "url" | "secret">): Promise<Operation[]> {
  return createAgentClient({ url: member.url, secret: member.secret, timeoutMs: 5_000 }).operations();
}

/** How many operations of each action the agent holds, e.g. { drain: 1, upgrade: 1 }. */
export function countByAction(operations: readonly Operation[]): Partial<Record<ActionName, number>> {
  const counts: Partial<Record<ActionName, number>> = {};
  for (const operation of operations) counts[operation.action] = (counts[operation.action] ?? 0) + 1;
  return counts;
}

/** The newest operation of `action` on the agent, if any. */
export function latestOperation(operations: readonly Operation[], action: ActionName): Operation | undefined {
  return operations.find((operation) => operation.action === action);
}
