import { describe, expect, it } from "vitest";
import { ANALYSIS_DEFAULTS } from "./analysis-config-schema";
import { metricSeriesFromSamples, type MetricPoint } from "./metric-series-from-samples";
import { projectTrendCrossing, type TrendResult } from "./project-trend-crossing";
import { GIB, SCRAPE_MS, syntheticSamples } from "./testing/synthetic-samples";

// Seeded simulations of the field note's memory leak and of healthy nodes: 15 s samples of memory
// on an 8 GiB limit with uniform ±200 MiB noise (±2.44 % of the limit), mulberry32 seeds 1..N, so
// every figure below is the same on every run. The figures in the comments are what these seeds
// give today; the assertions leave a little room so that an equivalent change to the statistics
// does not need new numbers, but not so much that a real loss of power or a rise in false alarms
// would pass.

const START = Date.UTC(2026, 11, 1, 12);
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const SEEDS = Array.from({ length: 200 }, (_, i) => i + 1);
/** Field note 000: 2 GB → 8 GB within 4 hours, i.e. +6 GiB / 240 min = +0.3125 %/min of 8 GiB. */
const FIELD_LEAK_BYTES_PER_MINUTE = (6 * GIB) / 240;
/** A demo-scale leak: +1.9 %/min, 30 % → 75 % in under half an hour. */
const DEMO_LEAK_BYTES_PER_MINUTE = 0.019 * 8 * GIB;

function memorySeries(seed: number, options: { startBytes: number; bytesPerMinute: number; minutes: number }): MetricPoint[] {
  const samples = syntheticSamples({
    seed,
    start: START,
    samples: Math.round((options.minutes * MINUTE_MS) / SCRAPE_MS) + 1,
    memoryStartBytes: options.startBytes,
    memoryBytesPerMinute: options.bytesPerMinute,
  });
  return metricSeriesFromSamples({ nodeId: "canary-1", samples }).series.memoryPercent ?? [];
}

/** One look at `minute` over the trend window (30 min), as runCanaryAnalysis does it. */
function lookAt(points: readonly MetricPoint[], minute: number, alpha: number, horizonMs: number): TrendResult {
  const nowMs = START + minute * MINUTE_MS;
  const window = points.filter((point) => point.t <= nowMs && point.t >= nowMs - ANALYSIS_DEFAULTS.windowMinutes * MINUTE_MS);
  return projectTrendCrossing({
    key: "memoryPercent",
    nodeId: "canary-1",
    points: window,
    limit: 75,
    now: new Date(nowMs),
    horizonMs,
    alpha,
  });
}

/** The continuous watch: a look every minute from the third; the minute of the first fail, or null. */
function firstWatchFail(points: readonly MetricPoint[], untilMinute: number, horizonMs: number): number | null {
  for (let minute = 3; minute <= untilMinute; minute++) {
    if (lookAt(points, minute, ANALYSIS_DEFAULTS.watchAlpha, horizonMs).status === "fail") return minute;
  }
  return null;
}

function fraction(values: readonly boolean[]): number {
  return values.filter(Boolean).length / values.length;
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

describe("trend detection on seeded noisy memory (±200 MiB on 8 GiB, 15 s samples)", () => {
  // Ten minutes: a trend needs a span longer than a garbage-collection cycle (TREND_MIN_SPAN_MINUTES).
  it("fails a demo-scale leak (+1.9 %/min) from 10 minutes of data in every seed, with a CI that covers the true crossing", () => {
    const results = SEEDS.map((seed) =>
      lookAt(
        memorySeries(seed, { startBytes: 0.3 * 8 * GIB, bytesPerMinute: DEMO_LEAK_BYTES_PER_MINUTE, minutes: 10 }),
        10,
        ANALYSIS_DEFAULTS.watchAlpha,
        2 * HOUR_MS,
      ),
    );
    expect(results.every((result) => result.status === "fail")).toBe(true);
    // True level at 10 min: 30 + 19 = 49 %, so the line crosses 75 % in 26 / 1.9 = 13.7 min.
    const trueCrossing = 26 / 1.9;
    const covered = fraction(
      results.map(({ crossing }) => crossing!.ciMinutes.low <= trueCrossing && trueCrossing <= (crossing!.ciMinutes.high ?? Infinity)),
    );
    const estimates = results.map(({ crossing }) => crossing!.inMinutes);
    // Measured: median estimate 13.9 min (the interval carries the slope's uncertainty only).
    expect(covered).toBeGreaterThanOrEqual(0.9);
    expect(quantile(estimates, 0.5)).toBeGreaterThan(12.5);
    expect(quantile(estimates, 0.5)).toBeLessThan(15);
    expect(results[0]!.message).toMatch(/^memory \+1\.\d%\/min, crosses 75% in ~\d+ min \(95% CI \d+–\d+ min\) on canary-1\.$/);
  });

  it("detects the field note's leak (2 → 8 GB in 4 h, +0.31 %/min) within 10 minutes of data at a formal look", () => {
    const results = SEEDS.map((seed) =>
      lookAt(
        memorySeries(seed, { startBytes: 2 * GIB, bytesPerMinute: FIELD_LEAK_BYTES_PER_MINUTE, minutes: 10 }),
        10,
        ANALYSIS_DEFAULTS.trendAlpha,
        3 * HOUR_MS,
      ),
    );
    const detected = fraction(results.map((result) => result.status === "rising" || result.status === "fail"));
    const failed = fraction(results.map((result) => result.status === "fail"));
    // Measured: 87.5 % of seeds show a significant rise (one-sided MK p < 0.01) after 10 minutes, and
    // 73 % already fail with a 3 h horizon (the crossing is ~150 min away, so a 2 h horizon waits);
    // 25 of 200 seeds show no significant rise yet.
    expect(detected).toBeGreaterThanOrEqual(0.85);
    expect(failed).toBeGreaterThanOrEqual(0.7);
    expect(results.filter((result) => result.status === "steady").length).toBeLessThanOrEqual(30);
  });

  it("fails the field note's leak in the continuous watch long before it reaches 75 %", () => {
    // The line reaches 75 % at minute 160. Watch: a look a minute at α = 0.001.
    const seeds = SEEDS.slice(0, 100);
    const twoHours = seeds.map((seed) =>
      firstWatchFail(
        memorySeries(seed, { startBytes: 2 * GIB, bytesPerMinute: FIELD_LEAK_BYTES_PER_MINUTE, minutes: 90 }),
        90,
        2 * HOUR_MS,
      ),
    );
    const threeHours = seeds.map((seed) =>
      firstWatchFail(
        memorySeries(seed, { startBytes: 2 * GIB, bytesPerMinute: FIELD_LEAK_BYTES_PER_MINUTE, minutes: 40 }),
        40,
        3 * HOUR_MS,
      ),
    );
    expect(twoHours.every((minute) => minute !== null)).toBe(true);
    expect(threeHours.every((minute) => minute !== null)).toBe(true);
    // Measured (100 seeds): 2 h horizon median 31 min, worst 50; 3 h horizon median 10 min, worst 20.
    expect(quantile(twoHours as number[], 0.5)).toBeLessThanOrEqual(35);
    expect(Math.max(...(twoHours as number[]))).toBeLessThanOrEqual(60);
    expect(quantile(threeHours as number[], 0.5)).toBeLessThanOrEqual(12);
    expect(Math.max(...(threeHours as number[]))).toBeLessThanOrEqual(25);
  }, 60_000);

  it("does not flag a flat healthy series in at least 98 % of 200 seeds", () => {
    const flat = SEEDS.map((seed) => memorySeries(seed, { startBytes: 0.3 * 8 * GIB, bytesPerMinute: 0, minutes: 10 }));
    const formal = flat.map((points) => lookAt(points, 10, ANALYSIS_DEFAULTS.trendAlpha, 2 * HOUR_MS));
    const watch = flat.map((points) => lookAt(points, 10, ANALYSIS_DEFAULTS.watchAlpha, 2 * HOUR_MS));
    // Measured: no fail in either; 1 % "rising" at the formal look (≈ α = 0.01, as it should be).
    expect(fraction(formal.map((result) => result.status === "fail"))).toBeLessThanOrEqual(0.02);
    expect(fraction(watch.map((result) => result.status === "fail"))).toBeLessThanOrEqual(0.02);
    expect(fraction(formal.map((result) => result.status === "rising"))).toBeLessThanOrEqual(0.03);
  });

  it("keeps the per-plan false-alarm rate of a 2 h watch low even for a healthy node close to its limit", () => {
    // 60 % memory, 15 points below the limit: here a noise slope projects across 75 % easily, so
    // only the watch's α protects it. A look every minute for two hours (118 looks per plan).
    const seeds = SEEDS.slice(0, 100);
    const falseFails = seeds.map((seed) =>
      firstWatchFail(memorySeries(seed, { startBytes: 0.6 * 8 * GIB, bytesPerMinute: 0, minutes: 120 }), 120, 2 * HOUR_MS),
    );
    // Measured: 1 of these 100 plans (1 of 200 over seeds 1..200; with α = 0.01 in the watch
    // instead of 0.001, 9 of 200). At 30 % memory the same watch raises no false fail in 200 plans.
    expect(fraction(falseFails.map((minute) => minute !== null))).toBeLessThanOrEqual(0.03);
  }, 60_000);
});
