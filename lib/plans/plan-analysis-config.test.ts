import { describe, expect, it } from "vitest";
import { ANALYSIS_METRICS } from "@/lib/analysis";
import { planAnalysisConfig } from "./plan-analysis-config";

describe("planAnalysisConfig", () => {
  it("is the registry's defaults for a plan that sets nothing", () => {
    const config = planAnalysisConfig({ analysis: {}, guardrails: {} });
    expect(config.metrics.memoryPercent).toMatchObject({ limit: 75, allowedChange: ANALYSIS_METRICS.memoryPercent.allowedChange });
    expect(config.metrics.p95Ms).toMatchObject({ limit: 2000, allowedChange: 0.2 });
    expect(config.metrics.tokensPerTask.allowedChange).toBe(0.15);
    expect(config.metrics.evalScore.limit).toBe(0.9);
    expect(config.thresholds).toEqual({ pass: 95, marginal: 75 });
  });

  it("maps each guardrail onto its metric: limits, the success floor as an error ceiling, token spend as a tolerance", () => {
    const config = planAnalysisConfig({
      analysis: {},
      guardrails: {
        maxMemoryPercent: 60,
        maxQueueDepth: 40,
        maxP95Ms: 900,
        minSuccessRate: 0.97,
        maxTokenSpendDeltaPercent: 80,
        minEvalScore: 0.8,
      },
    });
    expect(config.metrics.memoryPercent.limit).toBe(60);
    expect(config.metrics.queueDepth.limit).toBe(40);
    expect(config.metrics.p95Ms.limit).toBe(900);
    expect(config.metrics.errorRate.limit).toBe(3);
    expect(config.metrics.tokensPerTask).toMatchObject({ allowedChange: 0.8, criticalChange: 0.8 });
    expect(config.metrics.evalScore.limit).toBe(0.8);
  });

  it("lets an explicit analysis setting win over the guardrail, and reports bad combinations by field", () => {
    expect(
      planAnalysisConfig({ analysis: { metrics: { memoryPercent: { limit: 70 } } }, guardrails: { maxMemoryPercent: 60 } }).metrics
        .memoryPercent.limit,
    ).toBe(70);
    expect(() =>
      planAnalysisConfig({ analysis: { metrics: { p95Ms: { allowedChange: 0.4, criticalChange: 0.3 } } }, guardrails: {} }),
    ).toThrow(
      expect.objectContaining({ code: "invalid_input", fieldErrors: { "metrics.p95Ms.criticalChange": [expect.any(String)] } }) as Error,
    );
  });
});
