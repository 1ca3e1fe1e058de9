import { z } from "zod";
import valid from "semver/functions/valid.js";

/**
 * An exact semver version ("2026.11.2", "1.4.0-beta.1"), nothing else. Versions end up in
 * package specs handed to real installers, so ranges, tags, a leading "v", build metadata and
 * anything shell-like are refused here, at the boundary, before they can reach a process.
 */
export const versionSchema = z
  .string()
  .min(5)
  .max(64)
  .refine((value) => valid(value) === value, { message: "must be an exact semver version like 2026.11.2" });

export type Version = z.infer<typeof versionSchema>;
