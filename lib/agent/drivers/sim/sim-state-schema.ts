import { z } from "zod";
import { capabilityCheckListSchema, lbStateSchema } from "@/lib/protocol";
import { simDefaultCapabilityChecks } from "./sim-default-capability-checks";
import { simFaultMapSchema } from "./sim-faults-schema";
import { simProfile } from "./sim-profile";

const stateObject = z.object({
  version: z.literal(1),
  seed: z.int(),
  installed: z.object({
    core: z.string(),
    /** `builtForMajor`: the core major the plugin was installed against; drives its peer range. */
    plugins: z.record(z.string(), z.object({ version: z.string(), builtForMajor: z.int() })),
  }),
  /** Raw lockfile text as it would sit on disk; null before the first lock is written. */
  lockfile: z.string().nullable(),
  configText: z.string(),
  lb: lbStateSchema,
  service: z.object({ up: z.boolean(), since: z.number() }),
  /**
   * Task totals at `since` (the last checkpoint); the stream since then is derived from elapsed
   * time and the seed at the rates of the current segment. `errors` and `tokens` are carried
   * forward at each checkpoint instead of being recomputed as processed × rate, so a rate that
   * changes (a fault switching on at an upgrade) bends the totals but never moves them back.
   * (Absent in states written before they existed: filled in below.)
   */
  tasks: z.object({
    processed: z.number().min(0),
    errors: z.number().min(0).optional(),
    tokens: z.number().min(0).optional(),
    /** Crashes, counted as errors on top of the task errors. */
    extraErrors: z.int().min(0),
    since: z.number(),
    /** From which task index on which latency factor applied (newest last, a few kept). */
    latency: z
      .array(z.object({ fromIndex: z.int().min(0), factor: z.number().positive() }))
      .max(16)
      .default([]),
  }),
  faults: simFaultMapSchema,
  /**
   * The capability checks this node runs: the last set a verify handed it, or the gateway's own
   * probes on a new node; null when it has none. `checksAt`: when a verify last ran them.
   */
  capabilities: z
    .object({ checks: capabilityCheckListSchema.nullable(), checksAt: z.number().nullable() })
    .default({ checks: simDefaultCapabilityChecks, checksAt: null }),
});

/** Everything a simulated node remembers across agent restarts (sim-state.json). */
export const simStateSchema = stateObject.transform((state) => {
  // States from before the per-segment totals: continue exactly from what they showed.
  const profile = simProfile(state.seed);
  return {
    ...state,
    tasks: {
      ...state.tasks,
      errors: state.tasks.errors ?? state.tasks.processed * profile.errorRate,
      tokens: state.tasks.tokens ?? state.tasks.processed * profile.avgTokensPerTask,
    },
  };
});
export type SimState = z.output<typeof simStateSchema>;
