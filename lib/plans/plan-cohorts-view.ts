import type { AnalysisMetricKey } from "@/lib/analysis";

/**
 * Canary against stable on a plan, for the overlay charts: averages per bucket of each cohort. The
 * verdicts are the canary analysis's (PlanDetail.analysis), not computed here.
 */
export interface PlanCohorts {
  /** The charted span, epoch ms: from a little before the plan started up to now, at most MAX_FLEET_MINUTES of fleet time. */
  from: number;
  to: number;
  /** One fleet minute of wall-clock time (60 s / ROLLBOOK_ANALYSIS_TIME_SCALE), or wider to keep the point count bounded. */
  bucketMs: number;
  canaryNodes: string[];
  stableNodes: string[];
  /** One row per bucket: { t, canary_memoryPercent, stable_memoryPercent, … }. */
  series: Array<Record<string, number | null>>;
}

export const COHORT_METRICS = [
  { key: "memoryPercent", label: "Memory", unit: "%" },
  { key: "queueDepth", label: "Queue depth", unit: "" },
  { key: "p95Ms", label: "p95 latency", unit: " ms" },
] as const satisfies readonly { key: AnalysisMetricKey; label: string; unit: string }[];
