/**
 * Bounds on an uploaded release manifest. A manifest is a few KiB in practice; the limits sit far
 * above that and exist so a hostile or broken upload cannot make the dashboard parse, store or
 * render something unbounded.
 */
export const releaseManifestLimits = {
  /** UTF-8 bytes of the uploaded text, checked before any parsing. */
  maxBytes: 256 * 1024,
  /** YAML aliases expanded while converting to plain data (billion-laughs guard). */
  maxYamlAliases: 100,
  /** Syntax errors reported per upload; after the first few they are mostly noise. */
  maxSyntaxErrors: 10,
  /** Same bound as the node-agent lock, which is what a release turns into on each node. */
  maxPlugins: 64,
  maxPrompts: 256,
  maxTools: 256,
  maxNotesChars: 4000,
  /** Entries per config map (rate-limit scopes, permission keys, route match keys). */
  maxConfigEntries: 256,
  maxRoutingRules: 256,
  maxRequestsPerMinute: 1_000_000,
  maxTokensPerMinute: 1_000_000_000,
  maxConcurrent: 10_000,
  /** Same bound as a verify request's `checks` (agentProtocolLimits.maxCapabilityChecks). */
  maxCapabilityChecks: 32,
  maxCapabilityDescriptionChars: 500,
  maxCapabilityWeight: 100,
  minCapabilityTimeoutMs: 100,
  maxCapabilityTimeoutMs: 600_000,
} as const;
