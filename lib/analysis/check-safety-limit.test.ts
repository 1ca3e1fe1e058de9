import { describe, expect, it } from "vitest";
import { checkSafetyLimit } from "./check-safety-limit";
import type { MetricPoint } from "./metric-series-from-samples";

const T0 = Date.UTC(2026, 11, 1, 12);
const series = (values: readonly number[]): MetricPoint[] => values.map((v, i) => ({ t: T0 + i * 15_000, v }));
const node = (nodeId: string, values: readonly number[], problems: string[] = []) => ({ nodeId, points: series(values), problems });

describe("checkSafetyLimit", () => {
  it("breaches when a node's median of its last four samples is above the limit", () => {
    const result = checkSafetyLimit({ key: "memoryPercent", limit: 75, nodes: [node("a", [50, 51, 52]), node("b", [60, 74, 76, 77, 78])] });
    expect(result).toMatchObject({ status: "breached", worst: { nodeId: "b", value: 76.5 } });
    expect(result.reasons).toEqual(["memory on b is 76.5% (median of its last 4 samples), above the limit of 75%."]);
  });

  it("does not breach on a single spike or at exactly the limit", () => {
    expect(checkSafetyLimit({ key: "memoryPercent", limit: 75, nodes: [node("a", [50, 50, 50, 99])] }).status).toBe("ok");
    const atLimit = checkSafetyLimit({ key: "p95Ms", limit: 2000, nodes: [node("a", [2000, 2000, 2000, 2000])] });
    expect(atLimit).toMatchObject({ status: "ok", reasons: ["p95 latency: every canary node within 2000 ms (worst 2000 ms on a)."] });
  });

  it("reads a minimum for metrics where a decrease is bad (eval score at least 0.90)", () => {
    const result = checkSafetyLimit({ key: "evalScore", limit: 0.9, nodes: [node("a", [0.95, 0.92]), node("b", [0.85, 0.88, 0.86])] });
    expect(result).toMatchObject({ status: "breached", worst: { nodeId: "b", value: 0.86 } });
    expect(result.reasons[0]).toBe("eval score on b is 0.86 (median of its last 3 samples), below the minimum of 0.9.");
  });

  it("is inconclusive with broken latest samples or a provider error, unless another node breaches", () => {
    const broken = checkSafetyLimit({ key: "queueDepth", limit: 500, nodes: [node("a", [1, 2, Number.NaN]), node("b", [3, 4])] });
    expect(broken).toMatchObject({
      status: "inconclusive",
      reasons: ["queue depth on a: its latest samples include NaN or infinite values."],
    });
    const failed = checkSafetyLimit({ key: "queueDepth", limit: 500, nodes: [node("a", [1, 2], ["scrape timed out"])] });
    expect(failed).toMatchObject({ status: "inconclusive", reasons: ["queue depth on a: the data source failed: scrape timed out"] });
    const breach = checkSafetyLimit({ key: "queueDepth", limit: 500, nodes: [node("a", [Number.NaN]), node("b", [900, 900])] });
    expect(breach.status).toBe("breached");
  });

  it("reports no data when no canary node has samples", () => {
    expect(checkSafetyLimit({ key: "memoryPercent", limit: 75, nodes: [node("a", [])] })).toMatchObject({ status: "no_data", worst: null });
  });
});
