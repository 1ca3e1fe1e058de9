import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/app-error";
import type { MetricPoint } from "./metric-series-from-samples";
import { normalSurvival } from "./normal-survival";
import { formatMinutes, projectTrendCrossing, type ProjectTrendCrossingInput } from "./project-trend-crossing";
import { SCIPY_REFERENCE } from "./scipy-reference.fixture";

const NOW = new Date(Date.UTC(2026, 11, 1, 12));
const HOUR_MS = 3_600_000;

/** Fixture x values are minutes relative to now. */
function fromFixture(reference: { x: readonly number[]; y: readonly number[] }): MetricPoint[] {
  return reference.x.map((x, i) => ({ t: NOW.getTime() + x * 60_000, v: reference.y[i]! }));
}

function project(points: MetricPoint[], overrides: Partial<ProjectTrendCrossingInput> = {}) {
  return projectTrendCrossing({
    key: "memoryPercent",
    nodeId: "canary-1",
    points,
    limit: 75,
    now: NOW,
    horizonMs: 2 * HOUR_MS,
    alpha: 0.01,
    ...overrides,
  });
}

describe("projectTrendCrossing", () => {
  it("fails a significant rise that crosses the limit within the horizon, with SciPy's slope, CI and projection", () => {
    const reference = SCIPY_REFERENCE.trends.leak;
    const result = project(fromFixture(reference));
    const expected = reference.theilSen["0.95"];
    expect(result.status).toBe("fail");
    expect(result.n).toBe(40);
    expect(result.slopePerMinute).toBeCloseTo(expected.slope, 10);
    expect(result.slopeCi!.low).toBeCloseTo(expected.lowSlope, 10);
    expect(result.slopeCi!.high).toBeCloseTo(expected.highSlope, 10);
    expect(result.level).toBeCloseTo(expected.intercept, 9);
    // One-sided: half the classic two-sided MK p-value for a rise.
    expect(result.pValue).toBeCloseTo(normalSurvival(reference.mannKendall.zContinuity), 15);
    expect(Math.abs(result.pValue! - reference.mannKendall.pContinuity / 2)).toBeLessThan(1e-15);
    expect(result.crossing!.inMinutes).toBeCloseTo(reference.projection.inMinutes, 9);
    expect(result.crossing!.ciMinutes.low).toBeCloseTo(reference.projection.ciLow, 9);
    expect(result.crossing!.ciMinutes.high!).toBeCloseTo(reference.projection.ciHigh, 9);
    expect(result.message).toBe("memory +2%/min, crosses 75% in ~13 min (95% CI 11–14 min) on canary-1.");
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it("calls a rise whose crossing lies beyond the horizon rising, not failing", () => {
    const reference = SCIPY_REFERENCE.trends.long;
    const points = fromFixture(reference);
    const within = project(points);
    expect(within.status).toBe("fail");
    expect(within.crossing!.inMinutes).toBeCloseTo(reference.projection.inMinutes, 9);
    expect(within.crossing!.ciMinutes.low).toBeCloseTo(reference.projection.ciLow, 9);
    expect(within.crossing!.ciMinutes.high!).toBeCloseTo(reference.projection.ciHigh, 9);
    const beyond = project(points, { horizonMs: 100 * 60_000 });
    expect(beyond.status).toBe("rising");
    expect(beyond.message).toBe("memory +0.32%/min, crosses 75% in ~108 min (95% CI 102–115 min) on canary-1, beyond the 100 min horizon.");
  });

  it("keeps a flat noisy series steady", () => {
    const result = project(fromFixture(SCIPY_REFERENCE.trends.flat));
    expect(result.status).toBe("steady");
    expect(result.crossing).toBeNull();
    expect(result.pValue).toBeGreaterThan(0.01);
    expect(result.message).toMatch(/^memory on canary-1: [+−±][\d.]+%\/min, no significant rise \(p = 0\.\d{3}, α = 0\.01\)\.$/);
  });

  it("ignores a significant fall when an increase is bad", () => {
    const points = Array.from({ length: 20 }, (_, i) => ({ t: NOW.getTime() - (19 - i) * 60_000, v: 60 - 2 * i }));
    const result = project(points);
    expect(result.status).toBe("steady");
    expect(result.slopePerMinute).toBeCloseTo(-2, 12);
  });

  it("projects downwards for a metric where a decrease is bad (eval score toward 0.90)", () => {
    const points = Array.from({ length: 16 }, (_, i) => ({ t: NOW.getTime() - (15 - i) * 60_000, v: 0.99 - 0.002 * i + (i % 2) * 0.001 }));
    const result = projectTrendCrossing({
      key: "evalScore",
      nodeId: "canary-1",
      points,
      limit: 0.9,
      now: NOW,
      horizonMs: 2 * HOUR_MS,
      alpha: 0.01,
    });
    expect(result.status).toBe("fail");
    expect(result.slopePerMinute!).toBeLessThan(0);
    expect(result.crossing!.inMinutes).toBeGreaterThan(20);
    expect(result.crossing!.inMinutes).toBeLessThan(40);
    expect(result.message).toMatch(/^eval score −0\.002\/min, crosses 0\.9 in ~\d+ min \(95% CI \d+–\d+ min\) on canary-1\.$/);
  });

  it("says so when the line is already past the limit", () => {
    const points = Array.from({ length: 16 }, (_, i) => ({ t: NOW.getTime() - (15 - i) * 60_000, v: 40 + 2.4 * i }));
    const result = project(points);
    expect(result.status).toBe("fail");
    expect(result.crossing!.inMinutes).toBe(0);
    expect(result.message).toMatch(/^memory \+2\.4%\/min, is at or past 75% now \(95% CI/);
  });

  it("reports a rise without a limit as rising", () => {
    const result = project(fromFixture(SCIPY_REFERENCE.trends.leak), { limit: null });
    expect(result).toMatchObject({ status: "rising", crossing: null });
  });

  it("leaves the upper time open when the slow end of the slope CI does not rise", () => {
    // Significant at α = 0.2 but the 95 % slope interval reaches below zero.
    const reference = SCIPY_REFERENCE.trends.flat;
    const rising = fromFixture({ x: reference.x, y: reference.y.map((y, i) => y + 0.02 * i) });
    const result = project(rising, { alpha: 0.19 });
    if (result.status === "steady") throw new Error(`expected a weak rise, got ${result.message}`);
    expect(result.slopeCi!.low).toBeLessThanOrEqual(0);
    expect(result.crossing!.ciMinutes.high).toBeNull();
    expect(result.message).toMatch(/\(95% CI ≥ /);
  });

  it("is inconclusive with too few points, too short a span or non-finite values", () => {
    const eleven = Array.from({ length: 11 }, (_, i) => ({ t: NOW.getTime() - i * 15_000, v: 30 + i }));
    expect(project(eleven)).toMatchObject({ status: "inconclusive", n: 11, slopePerMinute: null });
    const burst = Array.from({ length: 30 }, (_, i) => ({ t: NOW.getTime() - i * 1_000, v: 30 + i }));
    expect(project(burst).message).toBe("memory on canary-1: 30 points over 0.48 min, too few for a trend (at least 12 over 9 min).");
    const broken = [...fromFixture(SCIPY_REFERENCE.trends.leak), { t: NOW.getTime(), v: Number.NaN }];
    expect(project(broken)).toMatchObject({
      status: "inconclusive",
      message: "memory on canary-1: 1 point is NaN or infinite; no trend judged.",
    });
  });

  it("ignores points after now and keeps at most the latest 500", () => {
    const future = [...fromFixture(SCIPY_REFERENCE.trends.flat), { t: NOW.getTime() + 60_000, v: 99 }];
    expect(project(future).n).toBe(40);
    const many = Array.from({ length: 700 }, (_, i) => ({ t: NOW.getTime() - i * 15_000, v: 30 }));
    expect(project(many).n).toBe(500);
  });

  it("refuses a non-positive horizon or an alpha outside (0, 1)", () => {
    expect(() => project([], { horizonMs: 0 })).toThrow(AppError);
    expect(() => project([], { alpha: 1 })).toThrow(AppError);
  });
});

describe("formatMinutes", () => {
  it("uses minutes below two hours and hours above", () => {
    expect([0.4, 22.4, 119, 150, 600].map(formatMinutes)).toEqual(["<1 min", "22 min", "119 min", "2.5 h", "10 h"]);
  });
});
