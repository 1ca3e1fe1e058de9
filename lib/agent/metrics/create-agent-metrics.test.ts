import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestAgent, type TestAgent } from "../testing/start-test-agent";

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
