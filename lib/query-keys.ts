import type { FleetFilter } from "@/lib/fleet/node-registration";

/** Every TanStack Query key in one place, so a mutation can invalidate exactly what it changed. */
export const queryKeys = {
  fleet: {
    all: ["fleet"] as const,
    list: (filter: FleetFilter) => ["fleet", "list", filter] as const,
    metrics: (nodeId: string, range: string) => ["fleet", "metrics", nodeId, range] as const,
  },
  plans: {
    all: ["plans"] as const,
    list: () => ["plans", "list"] as const,
    detail: (planId: string) => ["plans", "detail", planId] as const,
    cohorts: (planId: string) => ["plans", "cohorts", planId] as const,
  },
  releases: {
    all: ["releases"] as const,
  },
  audit: {
    all: ["audit"] as const,
  },
};
