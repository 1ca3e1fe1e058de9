import { z } from "zod";
import { pluginNameSchema } from "./plugin-name-schema";
import { versionSchema } from "./version-schema";

/**
 * The complete tree a node should run: core version and every plugin with its exact version.
 * It is complete on purpose: a plugin installed on the node but missing here is a mismatch.
 */
export const lockSchema = z.strictObject({
  core: versionSchema,
  plugins: z.record(pluginNameSchema, versionSchema).refine((plugins) => Object.keys(plugins).length <= 64, {
    message: "at most 64 plugins",
  }),
});

export type Lock = z.infer<typeof lockSchema>;
