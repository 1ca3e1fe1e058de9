import { describe, expect, it } from "vitest";
import { resolveAnalysisConfig } from "./analysis-config-schema";
import { adjustToOwnHistory, referenceLevels } from "./adjust-to-own-history";
import { metricSeriesFromSamples, type NodeSeries } from "./metric-series-from-samples";
import { runCanaryAnalysis } from "./run-canary-analysis";
import { GIB, syntheticSamples } from "./testing/synthetic-samples";

const T0 = Date.parse("2026-12-01T10:00:00Z");
const config = resolveAnalysisConfig({});

/** A node before the plan (reference) and during it, with its own traits and a change after the upgrade. */
function node(
  id: string,
  seed: number,
  traits: { tokensPerTask: number; p95Ms: number; memoryGiB: number },
  change = { p95: 1, tokens: 1 },
) {
  const common = { memoryStartBytes: traits.memoryGiB * GIB, memoryNoiseBytes: 20 * 1024 ** 2, tasksPerMinute: 240 };
  const before = syntheticSamples({ seed, start: T0, samples: 120, ...common, tokensPerTask: traits.tokensPerTask, p95Ms: traits.p95Ms });
  const after = syntheticSamples({
    seed: seed + 1000,
    start: T0 + 60 * 60_000,
    samples: 120,
    ...common,
    tokensPerTask: traits.tokensPerTask * change.tokens,
    p95Ms: traits.p95Ms * change.p95,
  });
  return {
    reference: metricSeriesFromSamples({ nodeId: id, samples: before }),
    now: metricSeriesFromSamples({ nodeId: id, samples: after }),
  };
}

function judge(canary: ReturnType<typeof node>[], baseline: ReturnType<typeof node>[], adjust: boolean) {
  const levels = referenceLevels([...canary, ...baseline].map((entry) => entry.reference));
  const all: NodeSeries[] = adjustToOwnHistory(
    [...canary, ...baseline].map((entry) => entry.now),
    levels,
  );
  return runCanaryAnalysis({
    canary: canary.map((entry) => entry.now),
    baseline: baseline.map((entry) => entry.now),
    config,
    now: new Date(T0 + 60 * 60_000 + 120 * 15_000),
    horizonMs: 0,
    phase: "end_of_hold",
    ...(adjust ? { compare: { canary: all.slice(0, canary.length), baseline: all.slice(canary.length), basis: "own history" } } : {}),
  });
}

describe("adjustToOwnHistory", () => {
  // Hosts differ: this canary always spent 1.6× the tokens per task and ran 30 % slower than its peers.
  const heavyCanary = (change?: { p95: number; tokens: number }) =>
    node("canary", 1, { tokensPerTask: 1600, p95Ms: 1040, memoryGiB: 2.2 }, change);
  const peers = () => [
    node("b1", 2, { tokensPerTask: 1000, p95Ms: 800, memoryGiB: 1.9 }),
    node("b2", 3, { tokensPerTask: 1050, p95Ms: 820, memoryGiB: 2 }),
  ];

  it("does not call a host's own habits a regression", () => {
    const raw = judge([heavyCanary()], peers(), false);
    expect(raw.metrics.find((metric) => metric.key === "tokensPerTask")?.verdict).toMatch(/fail|critical/);
    const adjusted = judge([heavyCanary()], peers(), true);
    expect(adjusted.comparisonBasis).toBe("own history");
    for (const key of ["tokensPerTask", "p95Ms", "memoryPercent"] as const) {
      expect(adjusted.metrics.find((metric) => metric.key === key)?.verdict, key).toBe("pass");
    }
    expect(adjusted.decision).toBe("pass");
  });

  it("still sees the release's own change, in the metric's unit", () => {
    const adjusted = judge([heavyCanary({ p95: 1.35, tokens: 1.3 })], peers(), true);
    const p95 = adjusted.metrics.find((metric) => metric.key === "p95Ms")!;
    expect(p95.verdict).toMatch(/fail|critical/);
    expect(p95.effect).toBeGreaterThan(0.25);
    expect(p95.effect).toBeLessThan(0.45);
    expect(adjusted.metrics.find((metric) => metric.key === "tokensPerTask")?.verdict).toMatch(/fail|critical/);
    expect(adjusted.decision).toBe("fail");
  });

  it("shifts absolute metrics and leaves nodes without history as measured", () => {
    const levels = new Map([["a", { queueDepth: 30, memoryPercent: 20 }]]);
    const [a, b] = adjustToOwnHistory(
      [
        { nodeId: "a", series: { queueDepth: [{ t: 1, v: 35 }], memoryPercent: [{ t: 1, v: 30 }] } },
        { nodeId: "b", series: { queueDepth: [{ t: 1, v: 7 }] } },
      ],
      levels,
    );
    // Only a has history, so the fleet's typical level is a's own: a reads as measured too.
    expect(a!.series.queueDepth).toEqual([{ t: 1, v: 35 }]);
    expect(b!.series.queueDepth).toEqual([{ t: 1, v: 7 }]);
    const [c, d] = adjustToOwnHistory(
      [
        { nodeId: "c", series: { queueDepth: [{ t: 1, v: 35 }] } },
        { nodeId: "d", series: { queueDepth: [{ t: 1, v: 12 }] } },
      ],
      new Map([
        ["c", { queueDepth: 30 }],
        ["d", { queueDepth: 10 }],
      ]),
    );
    // Typical level 20: c is +5 over its own 30, d +2 over its own 10.
    expect(c!.series.queueDepth).toEqual([{ t: 1, v: 25 }]);
    expect(d!.series.queueDepth).toEqual([{ t: 1, v: 22 }]);
  });
});
