import { z } from "zod";

const argv = z.array(z.string().min(1).max(4096)).min(1).max(64);

/**
 * The exec driver is a generic template driver: it drives any gateway through commands the
 * operator writes, for installs this agent has no driver of its own for. It has no built-in
 * commands (a default would have to guess a CLI; for OpenClaw use `--driver openclaw`, which uses
 * OpenClaw's real commands). Every command is an argv array spawned without a shell; `{version}`,
 * `{name}` and `{weight}` are the only placeholders, filled with values that were validated (exact
 * semver, strict package name, integer) just before spawning.
 */
export const execConfigSchema = z.strictObject({
  commands: z.strictObject({
    /** Installs core `{version}` exactly. */
    installCore: argv,
    /** Installs plugin `{name}` at `{version}` exactly. */
    installPlugin: argv,
    /** Removes plugin `{name}`. */
    removePlugin: argv,
    /** Must print JSON matching execStatusSchema. */
    status: argv,
    /** Must print `{ "checks": [{ id, status, message }] }`; may exit non-zero when checks fail. */
    doctor: argv,
    /** Data migrations after an install; null when the installer migrates itself. */
    migrate: argv.nullable().default(null),
    /**
     * Post-upgrade capability probes, run by verify. Gets the checks to run as JSON in
     * $ROLLBOOK_CAPABILITY_CHECKS ([] = run the gateway's own probes) and must print
     * `{ "checks": [{ id, kind, ok, score, durationMs, detail }] }`. null: this node cannot
     * prove capabilities (a release that lists checks then fails verify).
     */
    capabilities: argv.nullable().default(null),
    /** Restarts the gateway; the driver then polls `status` until it reports up. */
    restart: argv,
    /** Optional hooks into a load balancer; without them LB state is only reported. */
    setWeight: argv.nullable().default(null),
    drain: argv.nullable().default(null),
    undrain: argv.nullable().default(null),
  }),
  /** Where the node's lockfile lives; defaults to <state-dir>/openclaw.lock.json. */
  lockfilePath: z.string().min(1).optional(),
  /** Gateway config whose sha256 goes into readiness (and the probe hash). */
  configPath: z.string().min(1).nullable().default(null),
  timeoutsMs: z
    .strictObject({
      install: z
        .int()
        .positive()
        .default(10 * 60_000),
      command: z.int().positive().default(60_000),
      restart: z
        .int()
        .positive()
        .default(2 * 60_000),
      capabilities: z
        .int()
        .positive()
        .default(5 * 60_000),
    })
    .prefault({}),
  restartPollMs: z.int().positive().default(1000),
  /** Per stream; the head is kept (that is where JSON replies and first errors are). */
  maxOutputBytes: z
    .int()
    .positive()
    .max(16 * 1024 * 1024)
    .default(64 * 1024),
  /** Extra environment for commands (merged over the agent's own). */
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
});
export type ExecConfig = z.infer<typeof execConfigSchema>;

/** What the `status` command prints. Only core and plugins are required. */
export const execStatusSchema = z.object({
  core: z.string().nullable(),
  plugins: z.array(z.object({ name: z.string(), version: z.string(), peer: z.string().default("*"), peerOk: z.boolean().default(true) })),
  service: z.object({ up: z.boolean() }).optional(),
  memoryBytes: z.number().min(0).optional(),
  memoryLimitBytes: z.number().min(0).optional(),
  queue: z
    .object({
      depth: z.int().min(0),
      inFlight: z.int().min(0),
      oldestAgeMs: z.number().min(0),
      completedRetained: z.int().min(0),
      processingRatePerSec: z.number().min(0),
    })
    .optional(),
  tasks: z.object({ processedTotal: z.int().min(0), errorsTotal: z.int().min(0), tokensSpentTotal: z.int().min(0) }).optional(),
  webhooks: z
    .object({
      received: z.int().min(0),
      failed: z.int().min(0),
      byEvent: z.record(z.string(), z.int().min(0)).default({}),
      lastReceivedAt: z.iso.datetime().nullable().default(null),
    })
    .optional(),
});
export type ExecStatus = z.infer<typeof execStatusSchema>;
