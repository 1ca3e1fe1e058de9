import type { DriverWebhookCounts } from "../agent-driver";
import { hashUnit } from "./hash-unit";
import { simProfile } from "./sim-profile";
import type { SimState } from "./sim-state-schema";

const EVENTS: Array<[string, number]> = [
  ["message.created", 0.62],
  ["tool.called", 0.23],
  ["channel.joined", 0.1],
  ["delivery.retry", 0.05],
];

/** Webhook deliveries into a simulated gateway over the trailing window ending at `nowMs`. */
export function simWebhookCounts(state: SimState, nowMs: number, windowSec: number): DriverWebhookCounts {
  const { webhookRatePerSec, errorRate } = simProfile(state.seed);
  const sinceSec = Math.max(0, (nowMs - state.service.since) / 1000);
  // While up we count from the last (re)start; while down, deliveries before the outage that
  // still fall inside the window were received, and everything sent since then failed.
  const receivingSec = state.service.up ? Math.min(windowSec, sinceSec) : Math.max(0, windowSec - sinceSec);
  const received = Math.floor(webhookRatePerSec * receivingSec);
  const failed = state.service.up ? Math.floor(received * errorRate * 2) : Math.floor(webhookRatePerSec * Math.min(windowSec, sinceSec));

  const byEvent: Record<string, number> = {};
  let assigned = 0;
  for (const [event, share] of EVENTS.slice(1)) {
    byEvent[event] = Math.floor(received * share);
    assigned += byEvent[event];
  }
  byEvent[EVENTS[0]![0]] = received - assigned;

  let lastReceivedAt: Date | null = null;
  if (received > 0) {
    const lastMs = state.service.up
      ? nowMs - (hashUnit(state.seed, 30, Math.floor(nowMs / 1000)) * 1000) / webhookRatePerSec
      : state.service.since;
    lastReceivedAt = new Date(Math.round(lastMs));
  }
  return { received, failed, byEvent, lastReceivedAt };
}
