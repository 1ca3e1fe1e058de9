import type { CapabilityCheckPin, ReleaseManifest } from "./release-manifest-schema";

// Content hashes of the example prompts and tool schemas (sha256 of short stand-in texts).
const SHA = {
  promptMain: "c09f33a98cb9c0a4ca5a5ed3e4306dd954afb45a79f9a053fbab772586764da9",
  promptSupportV1: "e6c61da3333e0ed47e5b9b628e3875a38b397677e2a1034a6942b2cae4d2031d",
  promptSupportV2: "31d221090a8c3dc756b6f0b94c457825b113b9be91d235ce129ffdf35aa526b3",
  promptTriage: "5a858659738dc954e39c2c9c0e14db4a6ac0fa997b00e03ce5a884abac4f2486",
  toolBrowser: "bb8b7f9ed5a32c90a73d9ba54553f9eb6972a97177461f0413854d3cb30ec3ae",
  toolExec: "80ed41d3210963d7695262de69fa7159ec560b233272d33dabb389c53e8ac58f",
  toolWebSearch: "0bf2adbf9ca3b69af42ee4359a3aae8afdfd95f4f4798ab4e336ca5c3378000c",
  toolMemorySearchV1: "3ecba1639078120c99ae23d3cce7dc90db920d570bfe6d079e44a84cff929a14",
  toolMemorySearchV2: "52c1eae1b2883d57c60d48b765341984a3031c50fe87d10958ce04138171ff08",
} as const;

/**
 * What every example release must still do after an upgrade, one check per capability kind: the
 * post-upgrade proof the field notes ask for. The same set is the sim driver's own probe set, so a
 * simulated node reports a capability score before any verify has handed it one.
 */
const baselineChecks: CapabilityCheckPin[] = [
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

/**
 * The current stable release. Core and plugins match the sim driver's default lock
 * (lib/agent/drivers/sim), so a freshly simulated fleet is already on this release.
 */
const stable: ReleaseManifest = {
  name: "2026.11.2-r1",
  notes: "November baseline: Slack and GitHub channels, LanceDB memory, Sonnet 4.5 with a GPT-4o fallback.",
  core: "2026.11.2",
  plugins: {
    "@openclaw/github": "2026.10.3",
    "@openclaw/memory-lancedb": "2026.11.1",
    "@openclaw/slack": "2026.11.0",
  },
  model: { primary: "anthropic/claude-sonnet-4-5-20250929", fallback: "openai/gpt-4o-2024-08-06" },
  prompts: [
    { id: "system/main", sha256: SHA.promptMain },
    { id: "system/support", sha256: SHA.promptSupportV1 },
    { id: "skills/triage", sha256: SHA.promptTriage },
  ],
  tools: [
    { name: "browser", version: "2.1.0", schemaSha256: SHA.toolBrowser },
    { name: "exec", version: "1.0.3", schemaSha256: SHA.toolExec },
    { name: "memory_search", version: "1.0.0", schemaSha256: SHA.toolMemorySearchV1 },
    { name: "web_search", version: "1.4.0", schemaSha256: SHA.toolWebSearch },
  ],
  memorySchema: { version: 3, migrationFrom: null, additive: true },
  config: {
    rateLimits: {
      default: { requestsPerMinute: 600, tokensPerMinute: 2_000_000, maxConcurrent: 8 },
      "channel:slack": { requestsPerMinute: 120 },
    },
    permissions: { "fs:write": "deny", "tool:browser": "allow", "tool:exec": "ask", "tool:web_search": "allow" },
    routing: {
      defaultAgent: "main",
      rules: [
        { match: { channel: "slack", team: "support" }, agent: "support" },
        { match: { channel: "github" }, agent: "triage" },
      ],
    },
  },
  capabilityChecks: baselineChecks,
};

/**
 * The next release: core patch, two plugin bumps (a patch and a minor), a new fallback model
 * snapshot, a reworded support prompt, a memory_search tool with a new schema, and the additive
 * memory migration 3 → 4 that tool needs, and a capability check for each new promise (recency
 * search, check-run delivery). Its YAML form is `exampleManifestYaml`.
 */
const successor: ReleaseManifest = {
  name: "2026.11.3-r1",
  replaces: "2026.11.2-r1",
  notes: "Slack thread replies, GitHub check-run summaries, memory search by recency (additive migration 3 → 4).",
  core: "2026.11.3",
  plugins: {
    "@openclaw/github": "2026.11.1",
    "@openclaw/memory-lancedb": "2026.11.1",
    "@openclaw/slack": "2026.11.3",
  },
  model: { primary: "anthropic/claude-sonnet-4-5-20250929", fallback: "openai/gpt-4o-2024-11-20" },
  prompts: [
    { id: "system/main", sha256: SHA.promptMain },
    { id: "system/support", sha256: SHA.promptSupportV2 },
    { id: "skills/triage", sha256: SHA.promptTriage },
  ],
  tools: [
    { name: "browser", version: "2.1.0", schemaSha256: SHA.toolBrowser },
    { name: "exec", version: "1.0.3", schemaSha256: SHA.toolExec },
    { name: "memory_search", version: "1.1.0", schemaSha256: SHA.toolMemorySearchV2 },
    { name: "web_search", version: "1.4.0", schemaSha256: SHA.toolWebSearch },
  ],
  memorySchema: { version: 4, migrationFrom: 3, additive: true },
  config: {
    rateLimits: {
      default: { requestsPerMinute: 600, tokensPerMinute: 2_000_000, maxConcurrent: 8 },
      "channel:slack": { requestsPerMinute: 180 },
    },
    permissions: {
      "fs:write": "deny",
      "tool:browser": "allow",
      "tool:exec": "ask",
      "tool:memory_search": "allow",
      "tool:web_search": "allow",
    },
    routing: {
      defaultAgent: "main",
      rules: [
        { match: { channel: "slack", team: "support" }, agent: "support" },
        { match: { channel: "github" }, agent: "triage" },
      ],
    },
  },
  capabilityChecks: [
    ...baselineChecks,
    { id: "memory-recency", kind: "memory_lookup", description: "memory_search by recency returns the newest anchor first", weight: 1 },
    { id: "github-check-run", kind: "webhook_delivery", description: "a GitHub check-run event gets a summary comment", weight: 1 },
  ],
};

/**
 * A release that looks harmless on paper (a core patch and a memory plugin bump, no migration)
 * and is the one the demo catches: its core version is distinct from the others so the sim
 * driver's fault map (keyed by core version) can make exactly this release leak memory.
 */
const leaky: ReleaseManifest = {
  ...successor,
  name: "2026.11.4-leak",
  replaces: "2026.11.3-r1",
  notes: "Core 2026.11.4 and memory-lancedb 2026.11.4: faster vector compaction.",
  core: "2026.11.4",
  plugins: { ...successor.plugins, "@openclaw/memory-lancedb": "2026.11.4" },
  memorySchema: { version: 4, migrationFrom: null, additive: true },
};

/** Example releases forming a chain stable → successor → leaky, for the demo seed and tests. */
export const exampleManifests = { stable, successor, leaky } as const satisfies Record<string, ReleaseManifest>;

/**
 * `exampleManifests.successor` as a hand-written YAML upload (comments, unquoted versions, keys
 * in authoring order), the sample for upload tests and docs/releases.md.
 */
export const exampleManifestYaml = `# Rollbook release manifest
name: 2026.11.3-r1
replaces: 2026.11.2-r1
notes: "Slack thread replies, GitHub check-run summaries, memory search by recency (additive migration 3 → 4)."

core: 2026.11.3
plugins:
  "@openclaw/github": 2026.11.1
  "@openclaw/memory-lancedb": 2026.11.1
  "@openclaw/slack": 2026.11.3

model:
  primary: anthropic/claude-sonnet-4-5-20250929
  fallback: openai/gpt-4o-2024-11-20

prompts:
  - { id: system/main, sha256: c09f33a98cb9c0a4ca5a5ed3e4306dd954afb45a79f9a053fbab772586764da9 }
  - { id: system/support, sha256: 31d221090a8c3dc756b6f0b94c457825b113b9be91d235ce129ffdf35aa526b3 }
  - { id: skills/triage, sha256: 5a858659738dc954e39c2c9c0e14db4a6ac0fa997b00e03ce5a884abac4f2486 }

tools:
  - name: browser
    version: 2.1.0
    schemaSha256: bb8b7f9ed5a32c90a73d9ba54553f9eb6972a97177461f0413854d3cb30ec3ae
  - name: exec
    version: 1.0.3
    schemaSha256: 80ed41d3210963d7695262de69fa7159ec560b233272d33dabb389c53e8ac58f
  - name: memory_search
    version: 1.1.0
    schemaSha256: 52c1eae1b2883d57c60d48b765341984a3031c50fe87d10958ce04138171ff08
  - name: web_search
    version: 1.4.0
    schemaSha256: 0bf2adbf9ca3b69af42ee4359a3aae8afdfd95f4f4798ab4e336ca5c3378000c

memorySchema:
  version: 4
  migrationFrom: 3 # must equal the previous release's memorySchema.version
  additive: true # only adds: the previous release can still read migrated memory

config:
  rateLimits:
    default: { requestsPerMinute: 600, tokensPerMinute: 2000000, maxConcurrent: 8 }
    "channel:slack": { requestsPerMinute: 180 }
  permissions:
    "fs:write": deny
    "tool:browser": allow
    "tool:exec": ask
    "tool:memory_search": allow
    "tool:web_search": allow
  routing:
    defaultAgent: main
    rules: # tried in order, first match wins
      - match: { channel: slack, team: support }
        agent: support
      - match: { channel: github }
        agent: triage

# What the release must still do after the upgrade; each node's verify runs exactly these.
capabilityChecks:
  - id: tool-roundtrip
    kind: tool_call_round_trip
    description: exec tool echoes a nonce and the agent reads it back
    weight: 2 # share of the capability score (default 1)
  - id: memory-anchor
    kind: memory_lookup
    description: memory_search finds the pinned anchor note
  - id: long-work
    kind: long_work_delivery
    description: a five-step background task delivers its report to the test channel
    timeoutMs: 120000
  - id: slack-event
    kind: webhook_delivery
    description: a signed Slack event reaches the support agent
  - id: model-reply
    kind: model_reply
    description: the primary model answers the canned triage prompt
    weight: 2
  - id: memory-recency
    kind: memory_lookup
    description: memory_search by recency returns the newest anchor first
  - id: github-check-run
    kind: webhook_delivery
    description: a GitHub check-run event gets a summary comment
`;
