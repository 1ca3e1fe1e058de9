import { z } from "zod";
import { lbStateSchema } from "@/lib/protocol";
import { simFaultMapSchema } from "./sim-faults-schema";

/** Everything a simulated node remembers across agent restarts (sim-state.json). */
export const simStateSchema = z.object({
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
  /** Task totals at `since`; the stream since then is derived from elapsed time and the seed. */
  tasks: z.object({ processed: z.number().min(0), extraErrors: z.int().min(0), since: z.number() }),
  faults: simFaultMapSchema,
});
export type SimState = z.infer<typeof simStateSchema>;
