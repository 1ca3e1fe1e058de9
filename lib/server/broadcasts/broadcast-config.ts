import "server-only";
import { z } from "zod";

const configSchema = z.object({
  urls: z.array(z.url({ protocol: /^https?$/ })).max(10),
  secret: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/=]{24,}$/)
    .nullable(),
});

/**
 * Where failure broadcasts go: ROLLBOOK_BROADCAST_URLS (comma-separated) signed with
 * ROLLBOOK_BROADCAST_SECRET (a Standard Webhooks whsec_ secret). Read per call so tests and
 * operators can change it without a restart. Invalid settings fail loudly.
 */
export function broadcastConfig(): { urls: string[]; secret: string | null } {
  return configSchema.parse({
    urls: (process.env.ROLLBOOK_BROADCAST_URLS ?? "")
      .split(",")
      .map((url) => url.trim())
      .filter(Boolean),
    secret: process.env.ROLLBOOK_BROADCAST_SECRET ?? null,
  });
}
