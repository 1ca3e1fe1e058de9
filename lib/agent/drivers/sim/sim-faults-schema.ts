import { z } from "zod";
import { capabilityKindSchema, pluginNameSchema, versionSchema } from "@/lib/protocol";

/**
 * What goes wrong when a simulated node runs a given core version. Each fault mirrors a kind of
 * failure seen in real gateway upgrade reports, so a demo can rehearse how the dashboard reacts.
 */
export const simFaultSchema = z.strictObject({
  /** The release leaks: memory climbs linearly from `fromBytes` to `toBytes` over `overMs`
   *  of gateway uptime (times the agent's timeScale). A restart starts the climb over. */
  memoryLeak: z
    .strictObject({
      fromBytes: z.number().positive().default(2e9),
      toBytes: z.number().positive().default(8e9),
      overMs: z
        .number()
        .positive()
        .default(4 * 3600 * 1000),
    })
    .optional(),
  /** A doctor check that fails while this version is installed. */
  doctorFail: z
    .strictObject({
      check: z.string().default("config-shape"),
      message: z.string().default("gateway.auth.mode moved to auth.gateway.mode in this release; config no longer validates"),
    })
    .optional(),
  /** The post-install migration takes this long (ms at speed 1) instead of well under a second. */
  slowMigrationMs: z.number().positive().optional(),
  /** After a restart the gateway never answers its health check again. */
  restartNeverReturns: z.boolean().optional(),
  /** The gateway crashes right after the core package is installed, before plugins are. */
  crashMidUpgrade: z.boolean().optional(),
  /** The first N installs of this version time out at the registry, then it installs: a transient
   *  failure that an approver's retry gets past (counted per agent process). */
  registryTimeouts: z.int().min(1).max(100).optional(),
  /** The installer resolves these plugins to a different version than requested. */
  pluginDrift: z.record(pluginNameSchema, versionSchema).optional(),

  // Silent regressions: the upgrade succeeds, the node is ready, and only the numbers a canary
  // judge compares with the stable nodes give the release away.

  /** Every task (and capability probe) takes `factor` times as long: p95 latency × factor. */
  latencyRegression: z.strictObject({ factor: z.number().min(0.1).max(20).default(1.3) }).optional(),
  /** The share of tasks that end in an error rises by this many percentage points. */
  errorRateRise: z.strictObject({ percentagePoints: z.number().min(0).max(90).default(3) }).optional(),
  /** Each task spends `factor` times the node's usual tokens (a chattier prompt, a looping tool). */
  tokenSpendRise: z.strictObject({ factor: z.number().min(0.1).max(20).default(1.25) }).optional(),
  /** Capability checks pass `score` of their probes instead of the healthy ~0.95; checks of the
   *  kinds in `failKinds` fail outright (ok false, score 0), which makes the node not ready. */
  evalDrop: z
    .strictObject({ score: z.number().min(0).max(1).default(0.85), failKinds: z.array(capabilityKindSchema).max(5).default([]) })
    .optional(),
});
export type SimFault = z.infer<typeof simFaultSchema>;

/** Faults keyed by the core version that triggers them. */
export const simFaultMapSchema = z.record(versionSchema, simFaultSchema);
export type SimFaultMap = z.infer<typeof simFaultMapSchema>;
