import { z } from "zod";

/**
 * A per-node shared secret in Standard Webhooks form: "whsec_" + base64 of at least 24 random
 * bytes (32 recommended). The minimum keeps hand-typed toy secrets out of a fleet file.
 */
export const agentSecretSchema = z
  .string()
  .trim()
  .regex(/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/, {
    message: "must be whsec_ followed by base64 of at least 24 random bytes",
  });

export type AgentSecret = z.infer<typeof agentSecretSchema>;
