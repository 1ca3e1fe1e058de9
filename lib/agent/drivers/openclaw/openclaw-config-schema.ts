import { z } from "zod";

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/);

/**
 * How the openclaw driver reaches a real OpenClaw install (`--openclaw-config openclaw.yaml`).
 * Every fact comes from the `openclaw` CLI and every step is an `openclaw` (or, for a downgrade,
 * `npm`) command; see docs/agent.md, "openclaw".
 */
export const openclawConfigSchema = z.strictObject({
  /** The CLI: a path, or a name looked up on PATH. */
  openclaw: z.string().min(1).default("openclaw"),
  /** npm, for downgrades (`openclaw update` refuses them); it installs into the CLI's own prefix. */
  npm: z.string().min(1).default("npm"),
  /** Put first on PATH for every command: OpenClaw needs Node >= 24.16, the agent may run on another. */
  nodeBinDir: z.string().min(1).nullable().default(null),
  /**
   * Extra environment for every command and the supervised gateway, merged over the agent's own:
   * HOME or OPENCLAW_STATE_DIR/OPENCLAW_CONFIG_PATH select the install's state, and
   * OPENCLAW_GATEWAY_TOKEN is the gateway's shared token (the CLI reads it from there, so it never
   * appears in a process listing).
   */
  env: z.record(envName, z.string()).default({}),
  gateway: z
    .strictObject({
      /**
       * true: this agent runs `openclaw gateway --port <port> --bind loopback` as its child, restarts
       * it and stops it on shutdown (hosts without a service manager: containers, tests). false: a
       * service manager owns it and restarts go through `openclaw gateway restart --safe`.
       */
      supervise: z.boolean().default(false),
      /** Passed to the gateway and, as OPENCLAW_GATEWAY_PORT, to every CLI call that reaches it. */
      port: z.int().min(1).max(65535).default(18789),
      /** Supervised gateway output goes here; default <state-dir>/openclaw-gateway.log. */
      logFile: z.string().min(1).nullable().default(null),
      /** How long a (re)started gateway may take to say "ready" and answer `openclaw health`. */
      readyTimeoutMs: z
        .int()
        .positive()
        .default(3 * 60_000),
      /** SIGTERM lets the gateway drain; after this it is killed. */
      stopTimeoutMs: z.int().positive().default(30_000),
    })
    .prefault({}),
  /** Where verified backups are written before upgrades; default <state-dir>/openclaw-backups. */
  backupDir: z.string().min(1).nullable().default(null),
  /** The node's lockfile; default <state-dir>/openclaw.lock.json. */
  lockfilePath: z.string().min(1).optional(),
  timeoutsMs: z
    .strictObject({
      /** `openclaw update` (~2 min on 2 cores; its own step timeout is 30 min). */
      update: z
        .int()
        .positive()
        .default(20 * 60_000),
      /** npm installs (downgrade) and plugin installs. */
      install: z
        .int()
        .positive()
        .default(10 * 60_000),
      backup: z
        .int()
        .positive()
        .default(5 * 60_000),
      command: z.int().positive().default(60_000),
    })
    .prefault({}),
  /** Doctor, health and plugin facts are reused for this long by reports and scrapes (each CLI call costs ~1–4 s of CPU). */
  factsCacheMs: z.int().min(0).default(5_000),
  maxOutputBytes: z
    .int()
    .positive()
    .max(16 * 1024 * 1024)
    .default(4 * 1024 * 1024),
});
export type OpenclawConfig = z.infer<typeof openclawConfigSchema>;
