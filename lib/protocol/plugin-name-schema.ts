import { z } from "zod";

// npm package name rules (lowercase, optional scope), without the legacy exceptions npm still
// tolerates; a strict allow-list is what keeps names safe to pass as installer arguments.
const PLUGIN_NAME = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;

/** A plugin package name such as "@openclaw/slack" or "openclaw-plugin-jira". */
export const pluginNameSchema = z
  .string()
  .min(1)
  .max(214)
  .regex(PLUGIN_NAME, { message: "must be a lowercase npm package name like @openclaw/slack" });

export type PluginName = z.infer<typeof pluginNameSchema>;
