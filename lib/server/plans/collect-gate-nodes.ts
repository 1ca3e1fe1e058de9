import "server-only";
import pLimit from "p-limit";
import { summarizeAgentMetrics } from "@/lib/fleet/summarize-agent-metrics";
import type { GateNode } from "@/lib/plans/evaluate-widen-gate";
import { gateReadinessFromReport } from "@/lib/plans/gate-readiness-from-report";
import { agentClientFor, type AgentTarget } from "../agents/run-agent-action";

/**
 * Reads readiness and metrics from each node right now, for a gate decision. A node that does not
 * answer within the timeout comes back with `readiness: null`, which the gate treats as a failure.
 */
export async function collectGateNodes(nodes: readonly AgentTarget[], options: { timeoutMs?: number } = {}): Promise<GateNode[]> {
  const limit = pLimit(32);
  return Promise.all(
    nodes.map((node) =>
      limit(async (): Promise<GateNode> => {
        const client = agentClientFor(node, options.timeoutMs ?? 3_000);
        const [readiness, metrics] = await Promise.allSettled([client.readiness(), client.metrics()]);
        const fetchedAt = new Date();
        const summary = metrics.status === "fulfilled" ? summarizeAgentMetrics(metrics.value) : null;
        return {
          nodeId: node.id,
          name: node.name,
          readiness: readiness.status === "fulfilled" ? gateReadinessFromReport(readiness.value, fetchedAt) : null,
          metrics: summary && {
            memoryPercent: summary.memoryPercent,
            queueDepth: summary.queueDepth,
            p95Ms: summary.p95Ms,
            successRate: summary.successRate,
          },
        };
      }),
    ),
  );
}
