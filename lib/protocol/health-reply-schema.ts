import { z } from "zod";

/** GET /health — unauthenticated liveness; deliberately says nothing else. */
export const healthReplySchema = z.strictObject({ ok: z.literal(true) });
export type HealthReply = z.infer<typeof healthReplySchema>;
