import type {
  CapabilityCheck,
  CapabilityCheckResult,
  DoctorCheck,
  InstalledTree,
  LbState,
  Lock,
  OperationResult,
  PluginNode,
  QueueSnapshot,
} from "@/lib/protocol";

/** Handed to every step that changes the node. */
export type StepContext = {
  /** Aborted when the agent shuts down: a step must stop without persisting anything further. */
  signal: AbortSignal;
  log(message: string, level?: "info" | "warn" | "error"): void;
};

/** What is installed, what the lockfile asks for, and how the gateway is configured. */
export type DriverSnapshot = {
  installed: InstalledTree;
  pluginTree: PluginNode[];
  /** null when the node has no lockfile; `lock` null when the file is there but unreadable. */
  lockfile: { lock: Lock | null; sha256: string } | null;
  configHash: string | null;
};

export type DriverTelemetry = {
  memoryBytes: number;
  memoryLimitBytes: number;
  queue: Omit<QueueSnapshot, "generatedAt">;
  /** Monotonic totals since the gateway was installed; exported as Prometheus counters. */
  tasks: { processedTotal: number; errorsTotal: number; tokensSpentTotal: number };
};

export type DriverWebhookCounts = {
  received: number;
  failed: number;
  byEvent: Record<string, number>;
  lastReceivedAt: Date | null;
};

/**
 * One capability run as a driver reports it; the agent turns it into a CapabilityReport (weights,
 * overall score, requested checks the driver did not report counted as failed).
 */
export type DriverCapabilities = {
  /** The checks that were asked for (weights come from here); [] when the driver ran probes of its own. */
  checks: CapabilityCheck[];
  /** One result per check run: the requested ones, plus any probes of the driver's own. */
  results: CapabilityCheckResult[];
  checkedAt: Date;
};

/**
 * What a core install did besides installing, for the operation's result: the openclaw driver
 * takes a verified backup before an upgrade and restores one on a downgrade.
 */
export type CoreInstallFacts = Pick<OperationResult, "backup" | "restoredBackup">;

/**
 * The boundary between the agent (HTTP, auth, operations, reports) and a gateway install.
 * Drivers report facts and perform single steps; sequencing (core before plugins, verifying the
 * tree against the lock) lives in the agent so every driver gets the same guarantees.
 * Steps throw OperationFailure for expected failures.
 */
export type AgentDriver = {
  readonly kind: "sim" | "exec" | "openclaw";
  /**
   * Seconds of the gateway's own clock per wall-clock second: the simulator's --time-scale, absent
   * (1) for real gateways. Windows measured in gateway time (the recent p95) shrink by it.
   */
  readonly timeScale?: number;
  snapshot(): Promise<DriverSnapshot>;
  doctorChecks(): Promise<DoctorCheck[]>;
  telemetry(): Promise<DriverTelemetry>;
  webhookCounts(windowSec: number): Promise<DriverWebhookCounts>;
  /**
   * Durations in seconds of tasks number `from` (inclusive) to `to` (exclusive), for the task
   * histogram. Drivers that cannot know them return [].
   */
  taskDurationsSeconds(from: number, to: number): number[];
  /**
   * Runs capability checks for verify: `checks` (a release's list) become this node's check set
   * and run now; null runs the set it already has (the last one given, or probes of the driver's
   * own). [] clears the set. Resolves to null when there is nothing it can run.
   */
  runCapabilityChecks(checks: CapabilityCheck[] | null, ctx: StepContext): Promise<DriverCapabilities | null>;
  /**
   * The latest capability results without starting a costly run, for /metrics and readiness (sim:
   * recomputed for the current 30 s interval; exec: the last run's). null before any.
   */
  latestCapabilities(): Promise<DriverCapabilities | null>;
  lbState(): Promise<LbState>;
  setLbState(patch: Partial<LbState>, ctx: StepContext): Promise<LbState>;
  writeLockfile(lock: Lock, ctx: StepContext): Promise<void>;
  installCore(version: string, ctx: StepContext): Promise<CoreInstallFacts | void>;
  installPlugin(name: string, version: string, ctx: StepContext): Promise<void>;
  removePlugin(name: string, ctx: StepContext): Promise<void>;
  migrate(ctx: StepContext): Promise<void>;
  restart(ctx: StepContext): Promise<void>;
  close(): Promise<void>;
};
