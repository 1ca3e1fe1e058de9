import type { FleetFilter } from "@/lib/fleet/node-registration";

/** Every TanStack Query key in one place, so a mutation can invalidate exactly what it changed. */
export const queryKeys = {
  fleet: {
    all: ["fleet"] as const,
    list: (filter: FleetFilter) => ["fleet", "list", filter] as const,
  },
  audit: {
    all: ["audit"] as const,
  },
};
