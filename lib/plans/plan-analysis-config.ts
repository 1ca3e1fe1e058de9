import {
  ANALYSIS_METRICS,
  resolveAnalysisConfig,
  type AnalysisConfigInput,
  type AnalysisMetricKey,
  type AnalysisMetricOverride,
  type EffectiveAnalysisConfig,
} from "@/lib/analysis";
import type { PlanGuardrailKey, PlanGuardrails } from "./plan-guardrails-schema";

/**
 * Where each plan guardrail lands in the canary analysis: the guardrails are the plan's words for
 * the analysis' limits and tolerances, so the two can never disagree. Absolute limits become the
 * metric's safety limit on the canary; the token spend delta is a tolerance relative to baseline.
 */
const GUARDRAIL_TO_ANALYSIS: Readonly<
  Record<PlanGuardrailKey, (value: number) => { key: AnalysisMetricKey; override: AnalysisMetricOverride }>
> = {
  maxMemoryPercent: (value) => ({ key: "memoryPercent", override: { limit: value } }),
  maxQueueDepth: (value) => ({ key: "queueDepth", override: { limit: value } }),
  maxP95Ms: (value) => ({ key: "p95Ms", override: { limit: value } }),
  // A success rate floor of 0.95 is an error rate ceiling of 5 %.
  minSuccessRate: (value) => ({ key: "errorRate", override: { limit: Math.round((1 - value) * 100 * 1e9) / 1e9 } }),
  // A tolerance above the default critical change would make every fail critical: raise that too.
  maxTokenSpendDeltaPercent: (value) => ({
    key: "tokensPerTask",
    override: { allowedChange: value / 100, criticalChange: Math.max(ANALYSIS_METRICS.tokensPerTask.criticalChange, value / 100) },
  }),
  minEvalScore: (value) => ({ key: "evalScore", override: { limit: value } }),
};

/**
 * The analysis a plan runs: its own analysis settings over the registry's defaults, with its
 * guardrails mapped in. An explicit per-metric analysis setting wins over the guardrail. Invalid
 * settings throw AppError("invalid_input") with field errors (`analysis.metrics.p95Ms.limit`).
 */
export function planAnalysisConfig(plan: { analysis: unknown; guardrails: PlanGuardrails }): EffectiveAnalysisConfig {
  const analysis = (plan.analysis ?? {}) as AnalysisConfigInput;
  const metrics: Partial<Record<AnalysisMetricKey, AnalysisMetricOverride>> = {};
  for (const [guardrail, value] of Object.entries(plan.guardrails) as [PlanGuardrailKey, number | undefined][]) {
    if (value === undefined) continue;
    const { key, override } = GUARDRAIL_TO_ANALYSIS[guardrail](value);
    metrics[key] = { ...metrics[key], ...override };
  }
  for (const [key, override] of Object.entries(analysis.metrics ?? {}) as [AnalysisMetricKey, AnalysisMetricOverride | undefined][]) {
    if (override) metrics[key] = { ...metrics[key], ...override };
  }
  return resolveAnalysisConfig({ ...analysis, metrics });
}
