import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { ANALYSIS_METRIC_KEYS, ANALYSIS_METRICS, type AnalysisMetricDefinition, type AnalysisMetricKey } from "./analysis-metrics";
import { formatChange, formatMetricValue } from "./format-metric-value";
import type { EffectiveMetricSettings } from "./judge-metric";

// zod 4 numbers refuse NaN and ±Infinity already, so every setting is comparable.
const number = (what: string) => z.number({ error: `Enter ${what} as a number` });

const metricOverrideSchema = z.strictObject({
  /** Tolerated change in the bad direction: a fraction for relative metrics (0.2 = +20 %), the unit for absolute ones. */
  allowedChange: number("the allowed change").min(0, "The allowed change can't be negative").optional(),
  /** Change in the bad direction beyond which the canary fails whatever the score. */
  criticalChange: number("the critical change").min(0, "The critical change can't be negative").optional(),
  /** Absolute safety limit on the canary; null removes the registry's limit. */
  limit: number("the limit").nullable().optional(),
  /** No or too few samples make the analysis inconclusive (true) or only leave the metric out of the score (false). */
  mustHaveData: z.boolean({ error: "Choose whether this metric must have data" }).optional(),
});
export type AnalysisMetricOverride = z.infer<typeof metricOverrideSchema>;

// One optional override per registry metric; strict, so an unknown metric key is a field error.
const metricOverridesSchema = z.strictObject(
  Object.fromEntries(ANALYSIS_METRIC_KEYS.map((key) => [key, metricOverrideSchema.optional()])) as Record<
    AnalysisMetricKey,
    z.ZodOptional<typeof metricOverrideSchema>
  >,
  {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? `Unknown metric; the metrics are ${ANALYSIS_METRIC_KEYS.join(", ")}` : undefined,
  },
);

/** Defaults; docs/analysis.md says where each comes from. */
export const ANALYSIS_DEFAULTS = {
  thresholds: { pass: 95, marginal: 75 },
  alpha: 0.05,
  trendAlpha: 0.01,
  watchAlpha: 0.001,
  minHorizonMinutes: 120,
  windowMinutes: 30,
  freshBaseline: false,
} as const;

const score = (which: string) =>
  number(`the ${which} threshold`).min(0, `The ${which} threshold is 0..100`).max(100, `The ${which} threshold is 0..100`);
const significance = (what: string) =>
  number(what)
    .gt(0, `${capitalize(what)} must be above 0`)
    .max(0.2, `${capitalize(what)} is at most 0.2; a looser test fails healthy canaries`);

/**
 * A plan's canary-analysis settings, as stored with the plan and edited in its form. Strict at
 * every level, so a misspelt key ("p95ms", "allowed") is refused instead of silently guarding
 * nothing; metric keys are the registry's. Every field has a default: `{}` is a complete config.
 */
export const analysisConfigSchema = z
  .strictObject({
    /** Score (0–100) at or above which the canary passes, and at or above which it is marginal rather than failed. */
    thresholds: z
      .strictObject({
        pass: score("pass").default(ANALYSIS_DEFAULTS.thresholds.pass),
        marginal: score("marginal").default(ANALYSIS_DEFAULTS.thresholds.marginal),
      })
      .prefault({}),
    /** Significance level of each metric's one-sided Mann–Whitney test at a formal look. */
    alpha: significance("the significance level").default(ANALYSIS_DEFAULTS.alpha),
    /** Significance level of the trend test at a formal look (few looks per plan, so it may be looser than the watch's). */
    trendAlpha: significance("the trend significance level").default(ANALYSIS_DEFAULTS.trendAlpha),
    /** Significance level of the trend test in the continuous watch, which re-tests every minute and so must be strictest. */
    watchAlpha: significance("the watch significance level").default(ANALYSIS_DEFAULTS.watchAlpha),
    /** The trend projection looks at least this far ahead, even when the plan's remaining holds are shorter. */
    minHorizonMinutes: z
      .int({ error: "Enter the horizon in whole minutes" })
      .min(1, "The horizon is 1..10080 minutes")
      .max(10_080, "The horizon is 1..10080 minutes")
      .default(ANALYSIS_DEFAULTS.minHorizonMinutes),
    /** Both cohorts are compared, and the trend fitted, over the last this-many minutes. */
    windowMinutes: z
      .int({ error: "Enter the window in whole minutes" })
      .min(5, "The window is 5..1440 minutes")
      .max(1440, "The window is 5..1440 minutes")
      .default(ANALYSIS_DEFAULTS.windowMinutes),
    /** Compare against freshly restarted stable nodes instead of long-running ones (the engine provides them). */
    freshBaseline: z.boolean({ error: "Choose whether to use a fresh baseline" }).default(ANALYSIS_DEFAULTS.freshBaseline),
    metrics: metricOverridesSchema.default({}),
  })
  // zod 4 runs refinements beside non-fatal field errors, so each cross-field rule first checks that
  // its fields are valid on their own; otherwise one typo would come back as two errors.
  .superRefine((config, ctx) => {
    const { pass, marginal } = config.thresholds;
    if (inRange(pass, 0, 100) && inRange(marginal, 0, 100) && pass < marginal) {
      ctx.addIssue({
        code: "custom",
        path: ["thresholds", "pass"],
        message: `The pass threshold (${pass}) can't be below the marginal threshold (${marginal})`,
      });
    }
    // The more often a test runs, the stricter it must be for the per-plan false-alarm rate to stay bounded.
    const alphaOk = [config.alpha, config.trendAlpha, config.watchAlpha].map((value) => value > 0 && value <= 0.2);
    if (alphaOk[0] && alphaOk[1] && config.trendAlpha > config.alpha) {
      ctx.addIssue({
        code: "custom",
        path: ["trendAlpha"],
        message: `The trend significance level (${config.trendAlpha}) can't be looser than the significance level (${config.alpha})`,
      });
    }
    if (alphaOk[1] && alphaOk[2] && config.watchAlpha > config.trendAlpha) {
      ctx.addIssue({
        code: "custom",
        path: ["watchAlpha"],
        message: `The watch significance level (${config.watchAlpha}) can't be looser than the trend significance level (${config.trendAlpha}): the watch re-tests every minute`,
      });
    }
    for (const key of ANALYSIS_METRIC_KEYS) {
      const override = config.metrics[key];
      if (override)
        for (const issue of overrideIssues(ANALYSIS_METRICS[key], override))
          ctx.addIssue({ code: "custom", ...issue, path: ["metrics", key, issue.field] });
    }
  });

export type AnalysisConfigInput = z.input<typeof analysisConfigSchema>;
export type AnalysisConfig = z.output<typeof analysisConfigSchema>;

/** The settings the analysis runs with: the plan's overrides over the registry's defaults. Plain JSON. */
export interface EffectiveAnalysisConfig {
  thresholds: { pass: number; marginal: number };
  alpha: number;
  trendAlpha: number;
  watchAlpha: number;
  minHorizonMinutes: number;
  windowMinutes: number;
  freshBaseline: boolean;
  metrics: Record<AnalysisMetricKey, EffectiveMetricSettings>;
}

/**
 * Parses a plan's stored or submitted analysis settings (undefined: all defaults) and merges them
 * over the registry. Bad input throws AppError("invalid_input") with `fieldErrors` keyed by path
 * ("metrics.p95Ms.criticalChange", "thresholds.pass"), the shape forms and JSON clients already read.
 */
export function resolveAnalysisConfig(input: unknown): EffectiveAnalysisConfig {
  const parsed = analysisConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      const paths = issue.code === "unrecognized_keys" ? issue.keys.map((name) => [...issue.path, name].join(".")) : [issue.path.join(".")];
      for (const path of paths) (fieldErrors[path || "analysis"] ??= []).push(issue.message);
    }
    throw new AppError("invalid_input", "The canary analysis settings are invalid.", { fieldErrors });
  }
  const config = parsed.data;
  const metrics = Object.fromEntries(
    ANALYSIS_METRIC_KEYS.map((key) => {
      const metric = ANALYSIS_METRICS[key];
      const override = config.metrics[key] ?? {};
      const settings: EffectiveMetricSettings = {
        allowedChange: override.allowedChange ?? metric.allowedChange,
        criticalChange: override.criticalChange ?? metric.criticalChange,
        mustHaveData: override.mustHaveData ?? metric.mustHaveData,
        limit: override.limit === undefined ? metric.limit : override.limit,
      };
      return [key, settings];
    }),
  ) as Record<AnalysisMetricKey, EffectiveMetricSettings>;
  return {
    thresholds: { ...config.thresholds },
    alpha: config.alpha,
    trendAlpha: config.trendAlpha,
    watchAlpha: config.watchAlpha,
    minHorizonMinutes: config.minHorizonMinutes,
    windowMinutes: config.windowMinutes,
    freshBaseline: config.freshBaseline,
    metrics,
  };
}

function overrideIssues(
  metric: AnalysisMetricDefinition,
  override: AnalysisMetricOverride,
): { field: keyof AnalysisMetricOverride; message: string }[] {
  const issues: { field: keyof AnalysisMetricOverride; message: string }[] = [];
  const maxChange = metric.tolerance === "absolute" ? metric.range.max - metric.range.min : metric.badDirection === "decrease" ? 1 : 10;
  const maxText = formatChange(metric, metric.tolerance, maxChange).replace(/^\+/, "");
  for (const field of ["allowedChange", "criticalChange"] as const) {
    const value = override[field];
    if (value !== undefined && value > maxChange) {
      issues.push({
        field,
        message: `The ${metric.label} ${field === "allowedChange" ? "allowed" : "critical"} change is at most ${maxText}`,
      });
    }
  }
  const allowed = override.allowedChange ?? metric.allowedChange;
  const critical = override.criticalChange ?? metric.criticalChange;
  if (allowed >= 0 && critical >= 0 && critical < allowed) {
    const show = (value: number) => formatChange(metric, metric.tolerance, value).replace(/^\+/, "");
    issues.push(
      override.criticalChange !== undefined
        ? {
            field: "criticalChange",
            message: `The ${metric.label} critical change (${show(critical)}) can't be below its allowed change (${show(allowed)})`,
          }
        : {
            field: "allowedChange",
            message: `The ${metric.label} allowed change (${show(allowed)}) is above its default critical change (${show(critical)}); raise criticalChange too`,
          },
    );
  }
  const limit = override.limit;
  if (limit !== undefined && limit !== null && (limit < metric.range.min || limit > metric.range.max)) {
    issues.push({
      field: "limit",
      message: `The ${metric.label} limit is ${formatMetricValue(metric, metric.range.min)}..${formatMetricValue(metric, metric.range.max)}`,
    });
  }
  return issues;
}

function inRange(value: number, min: number, max: number): boolean {
  return value >= min && value <= max;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
