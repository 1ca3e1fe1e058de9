import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { spawnAgentProcess } from "@/lib/agent/testing/spawn-agent-process";
import { operationSchema, signRequest } from "@/lib/protocol";
import type { BenchResult } from "../bench";

type Scenario = { name: string; baseline: string; concurrency: number; durationMs: number; request: () => Promise<void> };

/** p-th percentile of sorted samples (nearest rank). */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** `concurrency` keep-alive workers calling `request` back to back until the deadline. */
async function measure(scenario: Scenario): Promise<BenchResult> {
  const warmupEnd = performance.now() + Math.min(500, scenario.durationMs / 4);
  while (performance.now() < warmupEnd) await scenario.request();
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + scenario.durationMs;
  await Promise.all(
    Array.from({ length: scenario.concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await scenario.request();
          latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsedSec = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    name: scenario.name,
    baseline: scenario.baseline,
    requestsPerSec: latencies.length / elapsedSec,
    p95Ms: percentile(latencies, 95),
    samples: latencies.length,
    errors,
  };
}

/**
 * Requests/s and p95 of the agent's hot paths against bare `GET /health` in the same run:
 * signed `GET /v1/readiness` at concurrency 8 vs health at 8, and a signed set-weight action
 * followed by polling its operation to completion (one at a time, as the node allows) vs health at 1.
 */
export async function runAgentBench(): Promise<BenchResult[]> {
  const stateDir = await mkdtemp(path.join(os.tmpdir(), "rollbook-bench-"));
  // The agent runs in its own process (as in production), so the load generator does not share its event loop.
  const agent = await spawnAgentProcess({ stateDir, name: "bench", extraArgs: ["--speed", "1000"] });
  try {
    async function signed(method: "GET" | "POST", pathWithQuery: string, body = ""): Promise<Response> {
      const headers = signRequest({ secret: agent.secret, method, pathWithQuery, body });
      const response = await fetch(`${agent.url}${pathWithQuery}`, {
        method,
        headers: { ...headers, "content-type": "application/json" },
        ...(method === "POST" ? { body } : {}),
      });
      return response;
    }
    async function health(): Promise<void> {
      const response = await fetch(`${agent.url}/health`);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`health ${response.status}`);
    }
    async function readiness(): Promise<void> {
      const response = await signed("GET", "/v1/readiness");
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`readiness ${response.status}`);
    }
    let weight = 0;
    async function setWeightAndWait(): Promise<void> {
      weight = (weight + 1) % 101;
      const accepted = await signed("POST", "/v1/actions/set-weight", JSON.stringify({ weight }));
      if (accepted.status !== 202) throw new Error(`set-weight ${accepted.status}: ${await accepted.text()}`);
      const { operation } = (await accepted.json()) as { operation: { id: string } };
      for (;;) {
        const polled = operationSchema.parse(await (await signed("GET", `/v1/operations/${operation.id}`)).json());
        if (polled.status === "succeeded") return;
        if (polled.status === "failed") throw new Error(polled.error?.message);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    }

    const results: BenchResult[] = [];
    for (const scenario of [
      { name: "GET /health c=8", baseline: "GET /health c=8", concurrency: 8, durationMs: 3_000, request: health },
      { name: "GET /v1/readiness c=8", baseline: "GET /health c=8", concurrency: 8, durationMs: 3_000, request: readiness },
      { name: "GET /health c=1", baseline: "GET /health c=1", concurrency: 1, durationMs: 2_000, request: health },
      { name: "POST set-weight + wait c=1", baseline: "GET /health c=1", concurrency: 1, durationMs: 3_000, request: setWeightAndWait },
    ] satisfies Scenario[]) {
      results.push(await measure(scenario));
    }
    return results;
  } finally {
    await agent.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}
