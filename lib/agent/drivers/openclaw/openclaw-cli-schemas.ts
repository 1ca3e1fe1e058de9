import { z } from "zod";

// What the real `openclaw` CLI prints with --json, as measured on 2026.9.5 and 2026.9.6 (see
// docs/agent.md, "openclaw"). Only the fields the driver reads are declared; objects stay loose so a
// newer CLI that adds fields keeps working, while a missing or retyped field is an error that quotes
// the CLI's own output (parse-openclaw-json.ts) instead of a guess.

/** `openclaw --version`: "OpenClaw 2026.9.5 (ec9c1a1)". */
export const openclawVersionLinePattern = /^OpenClaw (\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)(?: \(([0-9a-f]+)\))?$/m;

/** `openclaw doctor --lint --json` (exit 1 when there are findings). */
export const openclawDoctorLintSchema = z.looseObject({
  schemaVersion: z.literal(1),
  ok: z.boolean(),
  checksRun: z.int().min(0),
  checksSkipped: z.int().min(0),
  findings: z.array(
    z.looseObject({
      checkId: z.string().min(1),
      severity: z.enum(["info", "warning", "error"]),
      message: z.string(),
      path: z.string().optional(),
      fixHint: z.string().optional(),
    }),
  ),
});
export type OpenclawDoctorLint = z.infer<typeof openclawDoctorLintSchema>;

/** `openclaw doctor --post-upgrade --json`: plugin-compat probes only. */
export const openclawPostUpgradeSchema = z.looseObject({
  probesRun: z.array(z.string()),
  findings: z.array(
    z.looseObject({ level: z.enum(["info", "warn", "error"]), code: z.string(), message: z.string(), plugin: z.string().optional() }),
  ),
});

/** `openclaw plugins list --json`: every discovered plugin, bundled ones included. */
export const openclawPluginsListSchema = z.looseObject({
  plugins: z.array(
    z.looseObject({
      id: z.string().min(1),
      name: z.string().optional(),
      version: z.string().nullable().optional(),
      origin: z.string(),
      enabled: z.boolean(),
      status: z.string().optional(),
      /** How it was installed: an npm install records `installSource: "npm"` and `installSpec: "@openclaw/discord@2026.9.5"`. */
      trust: z.looseObject({ installSource: z.string().optional(), installSpec: z.string().optional() }).optional(),
    }),
  ),
});
export type OpenclawPlugin = z.infer<typeof openclawPluginsListSchema>["plugins"][number];

/**
 * The name a lock uses for a plugin: its npm package name when it was installed from npm (OpenClaw
 * lists it by its own id, "discord" for @openclaw/discord), else OpenClaw's id.
 */
export function openclawPluginPackageName(plugin: OpenclawPlugin): string {
  const spec = plugin.trust?.installSource === "npm" ? plugin.trust.installSpec : undefined;
  if (!spec) return plugin.id;
  const at = spec.indexOf("@", spec.startsWith("@") ? 1 : 0);
  return at > 0 ? spec.slice(0, at) : spec;
}

/** `openclaw update status --json`. */
export const openclawUpdateStatusSchema = z.looseObject({
  update: z.looseObject({
    root: z.string().min(1),
    installKind: z.string(),
    packageManager: z.string().nullable().optional(),
    registry: z.looseObject({ latestVersion: z.string().nullable().optional() }).optional(),
  }),
  channel: z.looseObject({ value: z.string() }),
});
export type OpenclawUpdateStatus = z.infer<typeof openclawUpdateStatusSchema>;

const updateStepSchema = z.looseObject({
  name: z.string(),
  exitCode: z.int().nullable().optional(),
  durationMs: z.number().optional(),
  stderrTail: z.string().nullable().optional(),
});

/** `openclaw update --tag <v> --json --no-restart --yes`: printed on success and on failure. */
export const openclawUpdateResultSchema = z.looseObject({
  status: z.string(),
  reason: z.string().nullable().optional(),
  before: z.looseObject({ version: z.string().nullable().optional() }).optional(),
  after: z.looseObject({ version: z.string().nullable().optional() }).optional(),
  failedStep: updateStepSchema.nullable().optional(),
  steps: z.array(updateStepSchema).default([]),
  durationMs: z.number().optional(),
  recovery: z.looseObject({ reason: z.string().optional() }).nullable().optional(),
});
export type OpenclawUpdateResult = z.infer<typeof openclawUpdateResultSchema>;

/** `openclaw backup create --verify --json --output <dir>`. */
export const openclawBackupCreateSchema = z.looseObject({
  createdAt: z.iso.datetime(),
  archiveRoot: z.string().min(1),
  archivePath: z.string().min(1),
  verified: z.boolean(),
  assets: z.array(z.looseObject({ kind: z.string(), sourcePath: z.string().min(1), archivePath: z.string().min(1) })),
});
export type OpenclawBackupCreate = z.infer<typeof openclawBackupCreateSchema>;

/** `openclaw backup restore <archive> --target <dir> --json`. */
export const openclawBackupRestoreSchema = z.looseObject({
  warnings: z.array(z.union([z.string(), z.looseObject({ message: z.string() })])).optional(),
});

/** `openclaw health --json` (exit 1 with `ok: false` and an error when the gateway is unreachable). */
export const openclawHealthSchema = z.union([
  z.looseObject({
    ok: z.literal(true),
    eventLoop: z.looseObject({ degraded: z.boolean(), reasons: z.array(z.string()).default([]) }),
    plugins: z.looseObject({ loaded: z.array(z.string()), errors: z.array(z.unknown()) }),
  }),
  z.looseObject({ ok: z.literal(false), error: z.looseObject({ message: z.string() }) }),
]);
export type OpenclawHealth = z.infer<typeof openclawHealthSchema>;

/** `openclaw gateway restart --safe --json`. */
export const openclawSafeRestartSchema = z.looseObject({
  ok: z.boolean(),
  result: z.string().optional(),
  message: z.string().optional(),
  restart: z.looseObject({ ok: z.boolean(), pid: z.int().optional(), signal: z.string().optional() }).optional(),
});

/** `openclaw config get <path> --json` when it fails (exit 1): an unset path is not an error for us. */
export const openclawCliErrorSchema = z.looseObject({
  ok: z.literal(false),
  error: z.looseObject({ type: z.string(), message: z.string() }),
});

/** `openclaw config get update --json` when set. */
export const openclawUpdateConfigSchema = z.looseObject({
  checkOnStart: z.boolean().optional(),
  auto: z.looseObject({ enabled: z.boolean().optional() }).optional(),
});

/** `openclaw config file --json`. */
export const openclawConfigFileSchema = z.looseObject({ path: z.string().min(1) });
