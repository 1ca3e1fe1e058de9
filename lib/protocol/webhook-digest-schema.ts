import { z } from "zod";

/** GET /v1/webhook-digest?windowSec=N — inbound webhook deliveries in the trailing window. */
export const webhookDigestSchema = z.object({
  windowSec: z.int().min(1),
  received: z.int().min(0),
  failed: z.int().min(0),
  byEvent: z.record(z.string(), z.int().min(0)),
  lastReceivedAt: z.iso.datetime().nullable(),
  /** sha256 over the canonical encoding of the counts, to spot changes without diffing. */
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  generatedAt: z.iso.datetime(),
});
export type WebhookDigest = z.infer<typeof webhookDigestSchema>;

export const webhookDigestQuerySchema = z.object({
  windowSec: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 3600)
    .default(300),
});
