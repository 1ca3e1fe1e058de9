import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimDriver, defaultSimLock } from "../drivers/sim/create-sim-driver";
import { simFaultMapSchema } from "../drivers/sim/sim-faults-schema";
import { startTestAgent, type TestAgent } from "../testing/start-test-agent";
import { createAgentMetrics } from "./create-agent-metrics";

const PROMTOOL = process.env.PROMTOOL ?? "promtool";

function promtoolCheck(exposition: string) {
  const result = spawnSync(PROMTOOL, ["check", "metrics"], { input: exposition, encoding: "utf8", timeout: 15_000 });
  if (result.error && (result.error as NodeJS.ErrnoException).code === "ENOENT") {
    throw new Error(
      `promtool not found (looked for "${PROMTOOL}"). Install it (Debian: apt-get install prometheus) or set PROMTOOL=/path/to/promtool.`,
    );
  }
  if (result.error) throw result.error;
  return result;
}

function maybe(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

function value(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  if (!line) throw new Error(`series ${series} not found in exposition`);
  return Number(line.slice(series.length + 1));
}

describe("GET /metrics", () => {
  let a: TestAgent;
  let b: TestAgent;
  beforeAll(async () => {
    a = await startTestAgent({ name: "metrics-a", sim: { seed: 11 } });
    b = await startTestAgent({ name: "metrics-b", sim: { seed: 12 } });
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  it("passes promtool check metrics", async () => {
    const response = await fetch(`${a.agent.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const result = promtoolCheck(await response.text());
    expect(result.status, `promtool said:\n${result.stdout}${result.stderr}`).toBe(0);
    expect(`${result.stdout}${result.stderr}`.trim()).toBe("");
  });

  it("exposes the required series", async () => {
    const text = await a.client.metrics();
    for (const series of [
      "openclaw_memory_bytes",
      "openclaw_memory_limit_bytes",
      "openclaw_queue_depth",
      "openclaw_tasks_processed_total",
      "openclaw_errors_total",
      "openclaw_tokens_spent_total",
      "openclaw_task_duration_seconds_count",
    ]) {
      expect(Number.isFinite(value(text, series)), series).toBe(true);
    }
    expect(text).toContain("# TYPE openclaw_tasks_processed_total counter");
    expect(text).toContain("# TYPE openclaw_task_duration_seconds histogram");
    expect(value(text, "openclaw_memory_bytes")).toBeGreaterThan(1e9);
    expect(value(text, "openclaw_task_duration_seconds_count")).toBeGreaterThan(0);
  });

  it("counters move forward between scrapes", async () => {
    const first = await a.client.metrics();
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const second = await a.client.metrics();
    expect(value(second, "openclaw_tasks_processed_total")).toBeGreaterThan(value(first, "openclaw_tasks_processed_total"));
    expect(value(second, "openclaw_tokens_spent_total")).toBeGreaterThan(value(first, "openclaw_tokens_spent_total"));
    expect(value(second, "openclaw_task_duration_seconds_count")).toBeGreaterThan(value(first, "openclaw_task_duration_seconds_count"));
  });

  it("keeps a registry per agent, so agents in one process do not mix", async () => {
    const op = await b.client.setWeight({ weight: 7 });
    await b.client.waitForOperation(op.operation.id, { timeoutMs: 5_000, pollMs: 10 });
    expect(value(await b.client.metrics(), "openclaw_lb_weight")).toBe(7);
    expect(value(await a.client.metrics(), "openclaw_lb_weight")).toBe(100);
  });
});

describe("metrics over simulated time", () => {
  const ctx = { signal: new AbortController().signal, log: () => undefined };

  async function simulated(faults = {}) {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), "rollbook-metrics-"));
    const clock = { at: Date.UTC(2026, 11, 1, 12) };
    const driver = await createSimDriver({ stateDir, seed: 5, speed: 1e6, faults: simFaultMapSchema.parse(faults), now: () => clock.at });
    const metrics = createAgentMetrics(driver, { now: () => clock.at });
    return {
      driver,
      /** Scrapes every 15 s for `minutes`; returns the expositions. */
      async run(minutes: number): Promise<string[]> {
        const texts: string[] = [];
        for (let step = 0; step < (minutes * 60) / 15; step++) {
          clock.at += 15_000;
          texts.push(await metrics.render());
        }
        return texts;
      },
      close: () => rm(stateDir, { recursive: true, force: true }),
    };
  }

  it("the recent p95 shows a latency regression within one window; the cumulative histogram barely moves", async () => {
    const node = await simulated({ "2026.12.0": { latencyRegression: {} } });
    const healthy = (await node.run(10)).at(-1)!;
    await node.driver.installCore("2026.12.0", ctx);
    const regressed = (await node.run(6)).at(-1)!;
    const recent = value(regressed, "rollbook_task_duration_p95_seconds") / value(healthy, "rollbook_task_duration_p95_seconds");
    expect(recent).toBeGreaterThan(1.2);
    expect(recent).toBeLessThan(1.4);
    // The histogram counts every task since the agent started: its mean has moved far less.
    const mean = (text: string) => value(text, "openclaw_task_duration_seconds_sum") / value(text, "openclaw_task_duration_seconds_count");
    expect(mean(regressed) / mean(healthy)).toBeLessThan(1.15);
    await node.close();
  });

  it("drops the recent p95 once a window passes without tasks", async () => {
    const node = await simulated();
    expect(maybe((await node.run(1)).at(-1)!, "rollbook_task_duration_p95_seconds")).toBeGreaterThan(1);
    await node.driver.setLbState({ drained: true }, ctx);
    expect(maybe((await node.run(6)).at(-1)!, "rollbook_task_duration_p95_seconds")).toBeUndefined();
    await node.close();
  });

  it("mirrors the totals under OpenClaw's diagnostics-prometheus names", async () => {
    const node = await simulated({ [defaultSimLock.core]: { errorRateRise: { percentagePoints: 5 } } });
    const text = (await node.run(2)).at(-1)!;
    const processed = value(text, "openclaw_tasks_processed_total");
    const errors = value(text, "openclaw_errors_total");
    expect(value(text, 'openclaw_run_completed_total{outcome="error"}')).toBe(errors);
    expect(value(text, 'openclaw_run_completed_total{outcome="completed"}')).toBe(processed - errors);
    const input = value(text, 'openclaw_model_tokens_total{token_type="input"}');
    expect(input + value(text, 'openclaw_model_tokens_total{token_type="output"}')).toBe(value(text, "openclaw_tokens_spent_total"));
    expect(input / value(text, "openclaw_tokens_spent_total")).toBeCloseTo(0.8, 3);
    expect(value(text, "rollbook_capability_score")).toBeGreaterThan(0.85);
    expect(value(text, "rollbook_capability_checked_timestamp_seconds")).toBeGreaterThan(Date.UTC(2026, 11, 1, 12) / 1000);
    await node.close();
  });
});
