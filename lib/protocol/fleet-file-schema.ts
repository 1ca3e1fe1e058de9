import { z } from "zod";
import { agentSecretSchema } from "./agent-secret-schema";

export const nodeRoleSchema = z.enum(["stable", "canary", "witness"]);
export type NodeRole = z.infer<typeof nodeRoleSchema>;

export const fleetNodeSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  url: z.url({ protocol: /^https?$/ }),
  secret: agentSecretSchema,
  role: nodeRoleSchema,
  region: z.string().min(1).max(64),
});
export type FleetNode = z.infer<typeof fleetNodeSchema>;

/**
 * The file `npm run fleet` writes and the dashboard seed reads: where each agent listens and
 * the secret to sign requests to it. It holds secrets, so it lives under .data/ (git-ignored).
 */
export const fleetFileSchema = z.object({
  version: z.literal(1),
  nodes: z.array(fleetNodeSchema).refine((nodes) => new Set(nodes.map((n) => n.name)).size === nodes.length, {
    message: "node names must be unique",
  }),
});
export type FleetFile = z.infer<typeof fleetFileSchema>;
