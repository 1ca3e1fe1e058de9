import type { CohortVerdict } from "@/lib/readiness";

/** Canary against stable on a running plan: overlaid series and one verdict per metric. */
export interface PlanCohorts {
  windowMinutes: number;
  canaryNodes: string[];
  stableNodes: string[];
  /** Per-minute averages, one row per minute: { t, canary_memoryPercent, stable_memoryPercent, … }. */
  series: Array<Record<string, number | null>>;
  verdicts: CohortVerdict[];
}

export const COHORT_METRICS = [
  { key: "memoryPercent", label: "Memory %", guardrail: "maxMemoryPercent", direction: "higher_is_worse" },
  { key: "queueDepth", label: "Queue depth", guardrail: "maxQueueDepth", direction: "higher_is_worse" },
  { key: "p95Ms", label: "p95 latency (ms)", guardrail: "maxP95Ms", direction: "higher_is_worse" },
] as const;
