import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/app-error";
import { analysisConfigSchema, resolveAnalysisConfig } from "./analysis-config-schema";

function fieldErrors(input: unknown): Record<string, string[]> {
  try {
    resolveAnalysisConfig(input);
  } catch (error) {
    if (error instanceof AppError && error.code === "invalid_input" && error.fieldErrors) return error.fieldErrors;
    throw error;
  }
  throw new Error("expected the settings to be refused");
}

describe("resolveAnalysisConfig", () => {
  it("gives the field-note defaults for a plan without settings", () => {
    const config = resolveAnalysisConfig(undefined);
    expect(config).toMatchObject({
      thresholds: { pass: 95, marginal: 75 },
      alpha: 0.05,
      trendAlpha: 0.01,
      watchAlpha: 0.001,
      minHorizonMinutes: 120,
      windowMinutes: 30,
      freshBaseline: false,
    });
    expect(config.metrics.errorRate).toEqual({ allowedChange: 2, criticalChange: 5, mustHaveData: true, limit: null });
    expect(config.metrics.p95Ms).toEqual({ allowedChange: 0.2, criticalChange: 0.5, mustHaveData: true, limit: 2000 });
    expect(config.metrics.tokensPerTask).toMatchObject({ allowedChange: 0.15 });
    expect(config.metrics.evalScore).toMatchObject({ limit: 0.9, mustHaveData: false });
    expect(config.metrics.memoryPercent.limit).toBe(75);
    expect(config.metrics.queueDepth.limit).toBe(500);
    expect(resolveAnalysisConfig({})).toEqual(config);
  });

  it("merges overrides over the registry, and null removes a limit", () => {
    const config = resolveAnalysisConfig({
      thresholds: { pass: 90 },
      metrics: { p95Ms: { allowedChange: 0.3, limit: null }, evalScore: { mustHaveData: true } },
      freshBaseline: true,
    });
    expect(config.thresholds).toEqual({ pass: 90, marginal: 75 });
    expect(config.metrics.p95Ms).toEqual({ allowedChange: 0.3, criticalChange: 0.5, mustHaveData: true, limit: null });
    expect(config.metrics.evalScore.mustHaveData).toBe(true);
    expect(config.freshBaseline).toBe(true);
  });

  it("refuses unknown metric and setting keys by field", () => {
    expect(fieldErrors({ metrics: { p95: {} }, horizon: 5 })).toEqual({
      "metrics.p95": [
        "Unknown metric; the metrics are memoryPercent, queueDepth, p95Ms, errorRate, tasksPerMinute, tokensPerTask, evalScore",
      ],
      horizon: ['Unrecognized key: "horizon"'],
    });
    expect(fieldErrors({ metrics: { p95Ms: { allowed: 0.3 } } })).toEqual({ "metrics.p95Ms.allowed": ['Unrecognized key: "allowed"'] });
  });

  it("refuses a pass threshold below the marginal one and thresholds outside 0..100", () => {
    expect(fieldErrors({ thresholds: { pass: 60, marginal: 70 } })).toEqual({
      "thresholds.pass": ["The pass threshold (60) can't be below the marginal threshold (70)"],
    });
    expect(fieldErrors({ thresholds: { pass: 101 } })).toEqual({ "thresholds.pass": ["The pass threshold is 0..100"] });
  });

  it("refuses an inverted critical change, whether set or inherited", () => {
    expect(fieldErrors({ metrics: { p95Ms: { allowedChange: 0.3, criticalChange: 0.25 } } })).toEqual({
      "metrics.p95Ms.criticalChange": ["The p95 latency critical change (25%) can't be below its allowed change (30%)"],
    });
    expect(fieldErrors({ metrics: { errorRate: { allowedChange: 6 } } })).toEqual({
      "metrics.errorRate.allowedChange": [
        "The error rate allowed change (6 pp) is above its default critical change (5 pp); raise criticalChange too",
      ],
    });
  });

  it("refuses out-of-range changes and limits", () => {
    expect(
      fieldErrors({
        metrics: { memoryPercent: { limit: 120 }, tasksPerMinute: { criticalChange: 1.5 }, errorRate: { allowedChange: -1 } },
      }),
    ).toEqual({
      "metrics.memoryPercent.limit": ["The memory limit is 0%..100%"],
      "metrics.tasksPerMinute.criticalChange": ["The tasks per minute critical change is at most 100%"],
      "metrics.errorRate.allowedChange": ["The allowed change can't be negative"],
    });
    expect(fieldErrors({ metrics: { evalScore: { limit: Number.NaN } } })).toEqual({
      "metrics.evalScore.limit": ["Enter the limit as a number"],
    });
  });

  it("refuses significance levels out of range or looser than the stricter test above them", () => {
    expect(fieldErrors({ alpha: 0 })).toEqual({ alpha: ["The significance level must be above 0"] });
    expect(fieldErrors({ alpha: 0.5 })).toMatchObject({
      alpha: ["The significance level is at most 0.2; a looser test fails healthy canaries"],
    });
    expect(Object.keys(fieldErrors({ trendAlpha: 0.1 }))).toEqual(["trendAlpha"]);
    expect(fieldErrors({ watchAlpha: 0.02 })).toEqual({
      watchAlpha: [
        "The watch significance level (0.02) can't be looser than the trend significance level (0.01): the watch re-tests every minute",
      ],
    });
    expect(Object.keys(fieldErrors({ minHorizonMinutes: 1.5, windowMinutes: 2, freshBaseline: "yes" })).sort()).toEqual([
      "freshBaseline",
      "minHorizonMinutes",
      "windowMinutes",
    ]);
  });

  it("is a zod schema the form layer can use directly", () => {
    expect(analysisConfigSchema.safeParse({ thresholds: { pass: 80, marginal: 80 } }).success).toBe(true);
  });
});
