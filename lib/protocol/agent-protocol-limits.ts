/** Numbers both sides of the wire must agree on. */
export const agentProtocolLimits = {
  defaultPort: 9099,
  /** Standard Webhooks' tolerance; the agent remembers webhook-ids for at least this long. */
  signatureToleranceSec: 5 * 60,
  maxRequestBodyBytes: 64 * 1024,
  /** Replies are small JSON documents; anything bigger is a broken or hostile agent. */
  maxReplyBytes: 1024 * 1024,
  maxWebhookIdLength: 128,
  /**
   * How long POST /v1/operations/:id/cancel waits for the cancelled operation to stop before it
   * answers 202 with the operation still running; the client's timeout for that call exceeds it.
   */
  cancelWaitMs: 3_000,
  /**
   * How long an agent keeps an idle connection open. Longer than the collector's interval, so the
   * dashboard's next poll finds the connection warm; the dashboard retires its side a moment
   * earlier (from the agent's Keep-Alive header), so it never sends on a socket the agent is closing.
   */
  keepAliveTimeoutMs: 75_000,
  /** Capability checks one release (and so one verify request) may list. */
  maxCapabilityChecks: 32,
  /** Results in one capability report: the requested checks plus a driver's own probes. */
  maxCapabilityResults: 64,
} as const;
