import type { DoctorReport, QueueSnapshot, ReadinessReport, WebhookDigest } from "@/lib/protocol";
import type { AgentDriver } from "../drivers/agent-driver";
import { buildCapabilityReport } from "./build-capability-report";
import { buildDoctorReport } from "./build-doctor-report";
import { buildReadinessReport, type ActiveOperation } from "./build-readiness-report";
import { buildWebhookDigest } from "./build-webhook-digest";

export const DEFAULT_WEBHOOK_WINDOW_SEC = 300;

/** The read side of the agent: each GET document, built fresh from the driver on request. */
export function createAgentReports(options: {
  name: string;
  driver: AgentDriver;
  activeOperation: () => ActiveOperation | null;
  now?: () => number;
}) {
  const { driver } = options;
  const now = () => new Date(options.now ? options.now() : Date.now());

  async function doctor(): Promise<DoctorReport> {
    const [checks, snapshot] = await Promise.all([driver.doctorChecks(), driver.snapshot()]);
    return buildDoctorReport({ checks, version: snapshot.installed.core, now: now() });
  }

  async function queue(): Promise<QueueSnapshot> {
    const telemetry = await driver.telemetry();
    return { ...telemetry.queue, generatedAt: now().toISOString() };
  }

  async function webhookDigest(windowSec = DEFAULT_WEBHOOK_WINDOW_SEC): Promise<WebhookDigest> {
    return buildWebhookDigest(await driver.webhookCounts(windowSec), windowSec, now());
  }

  async function readiness(): Promise<ReadinessReport> {
    const [snapshot, checks, telemetry, counts, lb, capabilities] = await Promise.all([
      driver.snapshot(),
      driver.doctorChecks(),
      driver.telemetry(),
      driver.webhookCounts(DEFAULT_WEBHOOK_WINDOW_SEC),
      driver.lbState(),
      driver.latestCapabilities(),
    ]);
    const at = now();
    return buildReadinessReport({
      node: { name: options.name, driver: driver.kind },
      snapshot,
      doctor: buildDoctorReport({ checks, version: snapshot.installed.core, now: at }),
      queue: { ...telemetry.queue, generatedAt: at.toISOString() },
      webhooks: buildWebhookDigest(counts, DEFAULT_WEBHOOK_WINDOW_SEC, at),
      lb,
      capabilities: buildCapabilityReport({ run: capabilities, requested: null, now: at }),
      activeOperation: options.activeOperation(),
      now: at,
    });
  }

  return { doctor, queue, webhookDigest, readiness };
}

export type AgentReports = ReturnType<typeof createAgentReports>;
