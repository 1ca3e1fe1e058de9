import "server-only";
import { AgentCallError, createAgentClient, type ActionBody, type ActionName, type Operation } from "@/lib/protocol";
import { openAgentSecret } from "@/lib/security/agent-secrets";
import { recordAuditEvent } from "../audit-log";

export interface AgentTarget {
  id: string;
  name: string;
  agentUrl: string;
  agentSecret: string;
}

/** How long one action may take on a node before Rollbook calls it failed. */
const ACTION_TIMEOUT_MS: Record<ActionName, number> = {
  drain: 60_000,
  undrain: 60_000,
  "set-weight": 30_000,
  upgrade: 15 * 60_000,
  doctor: 120_000,
  restart: 5 * 60_000,
  rollback: 15 * 60_000,
  verify: 120_000,
};

export function agentClientFor(node: Pick<AgentTarget, "agentUrl" | "agentSecret">, timeoutMs = 5_000) {
  return createAgentClient({ url: node.agentUrl, secret: openAgentSecret(node.agentSecret), timeoutMs });
}

/**
 * Asks a node agent to perform an action and waits for its operation to end. The request id makes
 * the call idempotent on the agent: calling again with the same id (after a dashboard crash, or a
 * retried job) returns the operation already started instead of starting a second one.
 * The call and the reply both go into the audit log with status, duration and operation id.
 */
export async function runAgentAction<A extends ActionName>(options: {
  node: AgentTarget;
  action: A;
  body: ActionBody<A>;
  requestId: string;
  planId?: string | null;
  timeoutMs?: number;
  /** Stops waiting (the operation goes on; cancel it with {@link cancelAgentOperation}). */
  signal?: AbortSignal;
  /** Told the operation's id as soon as the agent accepted it, before waiting for it to end. */
  onAccepted?: (operationId: string) => Promise<void>;
}): Promise<Operation> {
  const { node, action, planId = null } = options;
  const client = agentClientFor(node);
  const started = Date.now();
  try {
    const accepted = await client.action(action, options.body, { requestId: options.requestId });
    await recordAuditEvent({
      kind: "agent.call",
      nodeId: node.id,
      planId,
      data: {
        node: node.name,
        action,
        requestId: options.requestId,
        operationId: accepted.operation.id,
        repeated: accepted.repeated,
        durationMs: Date.now() - started,
      },
    });
    await options.onAccepted?.(accepted.operation.id);
    const finished = await client.waitForOperation(accepted.operation.id, {
      timeoutMs: options.timeoutMs ?? ACTION_TIMEOUT_MS[action],
      pollMs: 200,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    await recordAuditEvent({
      kind: "agent.reply",
      nodeId: node.id,
      planId,
      data: {
        node: node.name,
        action,
        operationId: finished.id,
        status: finished.status,
        durationMs: Date.now() - started,
        error: finished.status === "failed" ? lastLogLine(finished) : null,
      },
    });
    return finished;
  } catch (error) {
    const code = error instanceof AgentCallError ? error.code : "internal";
    const message = error instanceof Error ? error.message : String(error);
    await recordAuditEvent({
      kind: "agent.call_failed",
      nodeId: node.id,
      planId,
      data: { node: node.name, action, requestId: options.requestId, code, message, durationMs: Date.now() - started },
    });
    throw error;
  }
}

/**
 * Asks the agent to stop an operation (a step that ran out of time). The agent ends it failed with
 * code "cancelled" and leaves the node as that action documents (docs/agent.md); an operation that
 * had already ended comes back as it ended. Each call is signed with a fresh request id: a cancel
 * is not idempotent by id, and the agent refuses a reused one. Audited either way; null when the
 * agent could not be asked.
 */
export async function cancelAgentOperation(options: {
  node: AgentTarget;
  operationId: string;
  reason: string;
  planId?: string | null;
}): Promise<Operation | null> {
  const { node, planId = null } = options;
  const reason = options.reason.slice(0, 500);
  let operation: Operation;
  try {
    operation = await agentClientFor(node).cancelOperation(options.operationId, { reason });
  } catch (error) {
    const ended =
      error instanceof AgentCallError && error.agentError?.code === "operation_finished" ? error.agentError.operation : undefined;
    if (!ended) {
      await recordAuditEvent({
        kind: "agent.cancel_failed",
        nodeId: node.id,
        planId,
        data: {
          node: node.name,
          operationId: options.operationId,
          code: error instanceof AgentCallError ? (error.agentError?.code ?? error.code) : "internal",
          message: error instanceof Error ? error.message : String(error),
        },
      });
      return null;
    }
    operation = ended;
  }
  await recordAuditEvent({
    kind: "agent.cancelled",
    nodeId: node.id,
    planId,
    data: {
      node: node.name,
      operationId: operation.id,
      action: operation.action,
      status: operation.status,
      code: operation.error?.code ?? null,
      reason,
    },
  });
  return operation;
}

/** The most useful single line to show for a failed operation. */
export function lastLogLine(operation: Operation): string {
  if (operation.error) return operation.error.message;
  const line = operation.log.at(-1);
  return line ? line.message : `operation ${operation.id} ${operation.status}`;
}
