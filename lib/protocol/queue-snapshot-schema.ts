import { z } from "zod";

const count = z.int().min(0);

/** GET /v1/queue-snapshot — the gateway's task queue right now. */
export const queueSnapshotSchema = z.object({
  depth: count,
  inFlight: count,
  oldestAgeMs: z.number().min(0),
  completedRetained: count,
  processingRatePerSec: z.number().min(0),
  generatedAt: z.iso.datetime(),
});
export type QueueSnapshot = z.infer<typeof queueSnapshotSchema>;
