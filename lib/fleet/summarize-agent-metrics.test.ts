import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { histogramQuantile, summarizeAgentMetrics } from "./summarize-agent-metrics";

describe("histogramQuantile", () => {
  it("interpolates inside the bucket that holds the rank, like PromQL", () => {
    // 100 observations: 50 ≤ 0.1 s, 40 in (0.1, 0.5], 10 in (0.5, 1].
    const buckets = { "0.1": "50", "0.5": "90", "1": "100", "+Inf": "100" };
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.1);
    expect(histogramQuantile(0.95, buckets)).toBeCloseTo(0.75);
    expect(histogramQuantile(0.7, buckets)).toBeCloseTo(0.3);
  });

  it("answers the highest finite bound when the rank falls in +Inf, and null when empty", () => {
    expect(histogramQuantile(0.99, { "1": "5", "+Inf": "10" })).toBe(1);
    expect(histogramQuantile(0.95, { "1": "0", "+Inf": "0" })).toBeNull();
  });
});

describe("summarizeAgentMetrics", () => {
  it("reads a real prom-client exposition", async () => {
    const registry = new Registry();
    new Gauge({ name: "openclaw_memory_bytes", help: "m", registers: [registry] }).set(3e9);
    new Gauge({ name: "openclaw_memory_limit_bytes", help: "l", registers: [registry] }).set(8e9);
    new Gauge({ name: "openclaw_queue_depth", help: "q", registers: [registry] }).set(42);
    new Counter({ name: "openclaw_tasks_processed_total", help: "t", registers: [registry] }).inc(200);
    new Counter({ name: "openclaw_errors_total", help: "e", registers: [registry] }).inc(5);
    const histogram = new Histogram({ name: "openclaw_task_duration_seconds", help: "d", buckets: [0.5, 1, 2, 4], registers: [registry] });
    for (let index = 0; index < 100; index += 1) histogram.observe(index < 90 ? 0.3 : 1.5);

    const summary = summarizeAgentMetrics(await registry.metrics());
    expect(summary.memoryPercent).toBeCloseTo(37.5);
    expect(summary.queueDepth).toBe(42);
    expect(summary.successRate).toBeCloseTo(0.975);
    // rank 95 lies in (1, 2] holding observations 91..100: 1 + (95 - 90) / 10 = 1.5 s
    expect(summary.p95Ms).toBeCloseTo(1500);
  });

  it("gives nulls, not zeros, for metrics the agent did not report", () => {
    const summary = summarizeAgentMetrics("# nothing here\n");
    expect(summary).toMatchObject({ memoryPercent: null, queueDepth: null, p95Ms: null, successRate: null, evalScore: null });
  });

  it("reads the capability score and prefers the agent's recent p95 to the cumulative histogram", async () => {
    const registry = new Registry();
    new Gauge({ name: "rollbook_capability_score", help: "s", registers: [registry] }).set(0.8571);
    new Gauge({ name: "rollbook_task_duration_p95_seconds", help: "p", registers: [registry] }).set(4.2);
    const histogram = new Histogram({ name: "openclaw_task_duration_seconds", help: "d", buckets: [1, 2, 4], registers: [registry] });
    for (let index = 0; index < 100; index += 1) histogram.observe(0.5);
    const summary = summarizeAgentMetrics(await registry.metrics());
    expect(summary.evalScore).toBe(0.8571);
    expect(summary.p95Ms).toBeCloseTo(4200);
  });

  it("ignores a capability score outside 0..1 rather than storing nonsense", () => {
    expect(summarizeAgentMetrics("rollbook_capability_score 1.7\n").evalScore).toBeNull();
    expect(summarizeAgentMetrics("rollbook_capability_score NaN\n").evalScore).toBeNull();
    expect(summarizeAgentMetrics("rollbook_capability_score 0\n").evalScore).toBe(0);
  });
});
