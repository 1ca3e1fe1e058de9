import { z } from "zod";

/** What an operator types to register a gateway host; shared by the form, the API and the seed. */
export const nodeRegistrationSchema = z.object({
  name: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "Use 1-63 lowercase letters, digits and dashes, starting with a letter or digit"),
  agentUrl: z
    .url({ protocol: /^https?$/, message: "Enter the node agent's http(s) URL, e.g. http://10.0.0.5:9099" })
    .transform((url) => url.replace(/\/+$/, "")),
  agentSecret: z
    .string()
    .trim()
    .regex(/^whsec_[A-Za-z0-9+/=]{24,}$/, "Paste the agent's signing secret (whsec_ followed by base64)"),
  role: z.enum(["stable", "canary", "witness"], { message: "Choose stable, canary or witness" }),
  region: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{2,32}$/, "Use 2-32 lowercase letters, digits and dashes, e.g. eu-west-1"),
});

export type NodeRegistration = z.infer<typeof nodeRegistrationSchema>;

export const NODE_ROLES = ["stable", "canary", "witness"] as const;
export type NodeRole = (typeof NODE_ROLES)[number];

/** Filters of the fleet list, as they appear in the URL (?role=canary&region=eu-west-1&q=gw). */
export const fleetFilterSchema = z.object({
  role: z.enum(NODE_ROLES).optional().catch(undefined),
  region: z.string().max(32).optional().catch(undefined),
  q: z.string().max(64).optional().catch(undefined),
  release: z.string().max(64).optional().catch(undefined),
  status: z.enum(["green", "amber", "red", "grey"]).optional().catch(undefined),
});

export type FleetFilter = z.infer<typeof fleetFilterSchema>;
