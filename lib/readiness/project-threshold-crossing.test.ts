import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/app-error";
import type { SeriesPoint } from "./downsample-series";
import { projectThresholdCrossing, type ProjectThresholdCrossingInput } from "./project-threshold-crossing";

const NOW = new Date("2026-11-23T12:00:00.000Z");
const MIN = 60_000;

/** One sample every 5 minutes from `from` to `to` minutes relative to now, on v = f(minutes). */
function samples(f: (minutes: number) => number, from = -60, to = 0): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  for (let m = from; m <= to; m += 5) points.push({ t: NOW.getTime() + m * MIN, v: f(m) });
  return points;
}

function project(points: SeriesPoint[], overrides: Partial<ProjectThresholdCrossingInput> = {}) {
  return projectThresholdCrossing({ points, threshold: 75, now: NOW, ...overrides });
}

describe("projectThresholdCrossing", () => {
  it("projects a steady climb: 65% now at 15%/h crosses 75% in 40 min", () => {
    const result = project(samples((m) => 65 + (15 * m) / 60));
    expect(result).toMatchObject({
      status: "crossing",
      crossesAt: new Date(NOW.getTime() + 40 * MIN),
      inMs: 40 * MIN,
      message: "crosses 75% in ~40 min",
    });
    expect(result?.status === "crossing" && result.slopePerHour).toBeCloseTo(15, 9);
    expect(result?.status === "crossing" && result.rSquared).toBeCloseTo(1, 9);
  });

  it("rounds hours: 65% at 5%/h crosses in ~2 h", () => {
    expect(project(samples((m) => 65 + (5 * m) / 60))).toMatchObject({ inMs: 2 * 60 * MIN, message: "crosses 75% in ~2 h" });
  });

  it("tolerates noise around a clear trend (R² ≥ 0.8), in any input order", () => {
    const noisy = samples((m) => 65 + (15 * m) / 60 + (m % 10 === 0 ? 0.4 : -0.4)).reverse();
    const result = project(noisy);
    expect(result?.status).toBe("crossing");
    expect(result?.status === "crossing" && result.rSquared).toBeGreaterThan(0.95);
    expect(result?.message).toBe("crosses 75% in ~40 min");
  });

  it("is silent on a flat line", () => {
    expect(project(samples(() => 60))).toBeNull();
  });

  it("is silent on a falling line", () => {
    expect(project(samples((m) => 60 - m / 10))).toBeNull();
  });

  it("is silent when the fit is poor (noise without a trend)", () => {
    // Rising by 1 point over the hour with ±3 points of zig-zag: R² ≈ 0.011.
    expect(project(samples((m) => 60 + m / 60 + (m % 10 === 0 ? 3 : -3)))).toBeNull();
  });

  it("says 'above 75% now' when the latest sample is over the threshold, and 'at' when equal", () => {
    expect(project(samples((m) => 80 + m / 60))).toEqual({ status: "above", value: 80, message: "above 75% now" });
    expect(project(samples((m) => 75 + m / 60))).toEqual({ status: "above", value: 75, message: "at 75% now" });
  });

  it("crosses 'within a minute' when the fitted line is already at the threshold but the last sample is not", () => {
    // v = 75.5 + 15·h, sampled up to 5 min ago: the last sample is 74.25, the line at now is 75.5.
    const result = project(samples((m) => 75.5 + (15 * m) / 60, -60, -5));
    expect(result).toMatchObject({ status: "crossing", inMs: 0, crossesAt: NOW, message: "crosses 75% within a minute" });
  });

  it("needs minPoints points", () => {
    const points = samples((m) => 65 + (15 * m) / 60);
    expect(project(points, { minPoints: 14 })).toBeNull();
    expect(project(points, { minPoints: 13 })?.status).toBe("crossing");
  });

  it("needs the points to cover half the window", () => {
    const burst = Array.from({ length: 20 }, (_, i) => ({ t: NOW.getTime() - (20 - i) * 1_000, v: 50 + i / 2 }));
    expect(project(burst)).toBeNull();
    const halfHour = samples((m) => 65 + (15 * m) / 60, -30, 0);
    expect(project(halfHour, { minPoints: 7 })?.status).toBe("crossing");
    expect(
      project(
        samples((m) => 65 + (15 * m) / 60, -25, 0),
        { minPoints: 6 },
      ),
    ).toBeNull();
  });

  it("ignores samples outside the window and from the future", () => {
    const old = { t: NOW.getTime() - 61 * MIN, v: 99 };
    const future = { t: NOW.getTime() + MIN, v: 99 };
    expect(project([old, ...samples((m) => 65 + (15 * m) / 60), future])).toMatchObject({ inMs: 40 * MIN });
    expect(project([old])).toBeNull();
  });

  it("does not report crossings beyond the horizon", () => {
    const slow = samples((m) => 65 + (0.4 * m) / 60); // 25 h away
    expect(project(slow)).toBeNull();
    expect(project(slow, { horizonMs: 26 * 60 * MIN })).toMatchObject({ inMs: 25 * 60 * MIN, message: "crosses 75% in ~25 h" });
  });

  it("uses the unit in messages", () => {
    expect(
      project(
        samples((m) => 400 + (300 * m) / 60),
        { threshold: 500, unit: " ms" },
      )?.message,
    ).toBe("crosses 500 ms in ~20 min");
  });

  it("refuses nonsense parameters", () => {
    expect(() => project([], { minPoints: 2 })).toThrow(AppError);
    expect(() => project([], { threshold: Number.NaN })).toThrow("threshold");
    expect(() => project([], { windowMs: 0 })).toThrow("positive");
  });
});
