import type { CapabilityCheck } from "@/lib/protocol";

/**
 * The probes a simulated gateway runs on its own until a verify hands it a release's checks: one
 * per capability kind. The same list as the stable example release (lib/releases), so a fresh demo
 * fleet reports a capability score, the canary judge's baseline, before any plan has run.
 */
export const simDefaultCapabilityChecks: CapabilityCheck[] = [
  { id: "tool-roundtrip", kind: "tool_call_round_trip", description: "exec tool echoes a nonce and the agent reads it back", weight: 2 },
  { id: "memory-anchor", kind: "memory_lookup", description: "memory_search finds the pinned anchor note", weight: 1 },
  {
    id: "long-work",
    kind: "long_work_delivery",
    description: "a five-step background task delivers its report to the test channel",
    weight: 1,
    timeoutMs: 120_000,
  },
  { id: "slack-event", kind: "webhook_delivery", description: "a signed Slack event reaches the support agent", weight: 1 },
  { id: "model-reply", kind: "model_reply", description: "the primary model answers the canned triage prompt", weight: 2 },
];
