import { z } from "zod";
import { capabilityKinds, pluginNameSchema } from "@/lib/protocol";
import { exactVersionSchema } from "./exact-version-schema";
import { modelIdSchema } from "./model-id-schema";
import { releaseManifestLimits as limits } from "./release-manifest-limits";

// ---------------------------------------------------------------------------------------------
// Helpers. Every object is strict: a misspelt key in a hand-written manifest ("fallbak") must be
// an error, not a silently ignored field that leaves the release running something else.
// ---------------------------------------------------------------------------------------------

// Optimal string alignment distance: Levenshtein plus adjacent transpositions ("nmae" → "name"
// is one edit), the commonest typo in hand-written keys. Keys are short, so a full table is fine.
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      const row = rows[i];
      if (row) row[j] = best;
    }
  }
  return at(a.length, b.length);
}

function unknownFieldsMessage(keys: readonly string[], allowed: readonly string[]): string {
  const list = `allowed here: ${allowed.join(", ")}`;
  const [only] = keys;
  if (keys.length === 1 && only !== undefined) {
    // One edit per three characters (at most two), so "up" is not taken for a typo of "id".
    const tolerance = Math.min(2, Math.max(1, Math.floor(only.length / 3)));
    const suggestion = allowed.find((name) => name.toLowerCase() === only.toLowerCase() || editDistance(name, only) <= tolerance);
    return `unknown field "${only}"${suggestion ? ` (did you mean "${suggestion}"?)` : ""}; ${list}`;
  }
  return `unknown fields ${keys.map((key) => `"${key}"`).join(", ")}; ${list}`;
}

/** A strict object whose errors name the allowed fields, so the fix is in the message. */
function strictFields<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === "unrecognized_keys") return unknownFieldsMessage(issue.keys, allowed);
      if (issue.code === "invalid_type" && issue.input !== undefined) return `must be an object with the fields ${allowed.join(", ")}`;
      return undefined;
    },
  });
}

/** Messages for wrong types; `undefined` input is left to the caller's "required" message. */
function typeError(message: string) {
  return { error: (issue: { input?: unknown }) => (issue.input === undefined ? undefined : message) };
}

function boundedInt(max: number) {
  return z.int(typeError("must be a whole number")).min(1, "must be a positive whole number").max(max, `must be at most ${max}`);
}

function atMostEntries(max: number, what: string) {
  return [(record: Record<string, unknown>) => Object.keys(record).length <= max, { message: `at most ${max} ${what}` }] as const;
}

function uniqueBy<Item>(key: (item: Item) => string, field: string, what: string) {
  return (ctx: z.core.ParsePayload<Item[]>) => {
    const firstIndex = new Map<string, number>();
    ctx.value.forEach((item, index) => {
      const value = key(item);
      const first = firstIndex.get(value);
      if (first === undefined) firstIndex.set(value, index);
      else
        ctx.issues.push({
          code: "custom",
          path: [index, field],
          input: value,
          message: `duplicate ${what} "${value}" (already at index ${first})`,
        });
    });
  };
}

/** Lets a cross-field rule run only once the fields it reads are themselves valid. */
function whenValid(...fields: string[]) {
  return (payload: z.core.ParsePayload) =>
    payload.issues.every((issue) => issue.path !== undefined && issue.path.length > 0 && !fields.includes(String(issue.path[0])));
}

// ---------------------------------------------------------------------------------------------
// Field schemas
// ---------------------------------------------------------------------------------------------

/** Lowercase hex SHA-256, the content address of a prompt or a tool's input schema. */
export const sha256Schema = z
  .string(typeError("must be a string"))
  .regex(/^[0-9a-f]{64}$/, "must be a sha256 digest: 64 lowercase hex characters");

/** Release names appear in URLs, audit events and on nodes, hence the narrow alphabet. */
export const releaseNameSchema = z
  .string(typeError("must be a string (quote it in YAML)"))
  .regex(
    /^[0-9a-z](?:[0-9a-z.-]{0,62}[0-9a-z])?$/,
    "must be 1–64 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, like 2026.11.2-r1",
  );

const promptIdSchema = z
  .string(typeError("must be a string"))
  .regex(/^[a-z0-9][a-z0-9._/-]{0,127}$/, "must be a lowercase prompt id like system/support-agent (letters, digits, . _ / -)");

const toolNameSchema = z
  .string(typeError("must be a string"))
  .regex(/^[a-z][a-z0-9_.-]{0,63}$/, "must be a lowercase tool name like web_search (letters, digits, _ . -)");

const agentIdSchema = z
  .string(typeError("must be a string"))
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "must be a lowercase agent id like support (letters, digits, _ -)");

// Scopes and permission keys are open vocabularies ("default", "channel:slack", "tool:exec",
// "plugin:@openclaw/github"): the gateway defines them, Rollbook only bounds their shape.
const configKeySchema = z
  .string()
  .regex(/^[a-z0-9*][a-z0-9._:/@*-]{0,127}$/, "must be a lowercase key like channel:slack or tool:exec (letters, digits, . _ : / @ * -)");

const matchKeySchema = z.string().regex(/^[a-z][a-zA-Z0-9_]{0,63}$/, "must be a field name like channel or chatType");

export const modelPinsSchema = strictFields({
  primary: modelIdSchema,
  fallback: modelIdSchema.optional(),
});
export type ModelPins = z.infer<typeof modelPinsSchema>;

export const promptPinSchema = strictFields({ id: promptIdSchema, sha256: sha256Schema });
export type PromptPin = z.infer<typeof promptPinSchema>;

export const toolPinSchema = strictFields({ name: toolNameSchema, version: exactVersionSchema, schemaSha256: sha256Schema });
export type ToolPin = z.infer<typeof toolPinSchema>;

/**
 * The gateway's memory store schema. `migrationFrom` names the version this release migrates
 * from (null: no migration ships with it); `additive` says the migration only adds, so the
 * previous release can still read migrated memory and rolling back needs no down-migration.
 */
export const memorySchemaSchema = strictFields({
  version: boundedInt(1_000_000),
  migrationFrom: boundedInt(1_000_000).nullable(),
  additive: z.boolean(typeError("must be true or false")),
}).check((ctx) => {
  const { version, migrationFrom, additive } = ctx.value;
  if (migrationFrom !== null && migrationFrom >= version) {
    ctx.issues.push({
      code: "custom",
      path: ["migrationFrom"],
      input: migrationFrom,
      message: `must be lower than version (${version}): a migration moves memory forward from an older schema`,
    });
  }
  if (migrationFrom === null && !additive) {
    ctx.issues.push({
      code: "custom",
      path: ["additive"],
      input: additive,
      message: "must be true when migrationFrom is null: without a migration nothing is removed",
    });
  }
});
export type MemorySchema = z.infer<typeof memorySchemaSchema>;

export const rateLimitSchema = strictFields({
  requestsPerMinute: boundedInt(limits.maxRequestsPerMinute).optional(),
  tokensPerMinute: boundedInt(limits.maxTokensPerMinute).optional(),
  maxConcurrent: boundedInt(limits.maxConcurrent).optional(),
}).refine((limit) => Object.values(limit).some((value) => value !== undefined), {
  message: "must set at least one of requestsPerMinute, tokensPerMinute, maxConcurrent",
});
export type RateLimit = z.infer<typeof rateLimitSchema>;

export const permissionSchema = z.enum(["allow", "ask", "deny"], typeError('must be "allow", "ask" or "deny"'));
export type Permission = z.infer<typeof permissionSchema>;

export const routingRuleSchema = strictFields({
  match: z
    .record(matchKeySchema, z.string(typeError("must be a string")).min(1, "must not be empty").max(128, "must be at most 128 characters"))
    .refine((match) => Object.keys(match).length > 0, { message: "must match on at least one field, e.g. channel: slack" })
    .refine(...atMostEntries(16, "match fields")),
  agent: agentIdSchema,
});
export type RoutingRule = z.infer<typeof routingRuleSchema>;

/**
 * A post-upgrade capability check the release promises to pass (field note: "verify capabilities,
 * not version numbers"). The plan engine hands the list to each node's verify action, which runs
 * exactly these; see docs/agent.md. The shape is the wire contract's (`capabilityCheckSchema` in
 * `@/lib/protocol`) with manifest-grade messages, and `weight` filled in so the hash covers it.
 */
export const capabilityCheckPinSchema = strictFields({
  id: z
    .string(typeError("must be a string"))
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, "must be a slug like tool-roundtrip: 1–64 lowercase letters, digits and hyphens"),
  kind: z.enum(capabilityKinds, {
    error: (issue) => (issue.input === undefined ? "required" : `must be one of ${capabilityKinds.join(", ")}`),
  }),
  description: z
    .string(typeError("must be a string"))
    .max(limits.maxCapabilityDescriptionChars, `must be at most ${limits.maxCapabilityDescriptionChars} characters`)
    .optional(),
  /** Share of the release's capability score; a check of weight 2 counts twice. */
  weight: z
    .number(typeError("must be a number"))
    .positive("must be greater than 0")
    .max(limits.maxCapabilityWeight, `must be at most ${limits.maxCapabilityWeight}`)
    .default(1),
  /** How long one run may take before it counts as failed; the driver's default per kind when absent. */
  timeoutMs: z
    .int(typeError("must be a whole number of milliseconds"))
    .min(limits.minCapabilityTimeoutMs, `must be at least ${limits.minCapabilityTimeoutMs} ms`)
    .max(limits.maxCapabilityTimeoutMs, `must be at most ${limits.maxCapabilityTimeoutMs} ms (10 minutes)`)
    .optional(),
});
export type CapabilityCheckPin = z.infer<typeof capabilityCheckPinSchema>;

/**
 * Gateway settings a release pins. Each map is open (the gateway owns the vocabulary of scopes,
 * permission keys and match fields) but typed and bounded, so a typo cannot turn a rate limit
 * into a string or a permission into something other than allow/ask/deny.
 */
export const releaseConfigSchema = strictFields({
  /** Limits per scope ("default", "channel:slack", "agent:support"). */
  rateLimits: z.record(configKeySchema, rateLimitSchema).refine(...atMostEntries(limits.maxConfigEntries, "rate-limit scopes")),
  /** What the agents may do without asking ("tool:exec": "ask"). */
  permissions: z.record(configKeySchema, permissionSchema).refine(...atMostEntries(limits.maxConfigEntries, "permission keys")),
  /** Which agent answers which traffic; rules are tried in order, first match wins. */
  routing: strictFields({
    defaultAgent: agentIdSchema,
    rules: z.array(routingRuleSchema).max(limits.maxRoutingRules, `at most ${limits.maxRoutingRules} routing rules`),
  }),
});
export type ReleaseConfig = z.infer<typeof releaseConfigSchema>;

/**
 * A release manifest: everything a fleet node runs, versioned together and immutable once
 * stored. See docs/releases.md for the format and the rules.
 */
export const releaseManifestSchema = strictFields({
  name: releaseNameSchema,
  replaces: releaseNameSchema.optional(),
  notes: z.string(typeError("must be a string")).max(limits.maxNotesChars, `must be at most ${limits.maxNotesChars} characters`).optional(),
  core: exactVersionSchema,
  plugins: z.record(pluginNameSchema, exactVersionSchema).refine(...atMostEntries(limits.maxPlugins, "plugins")),
  model: modelPinsSchema,
  prompts: z
    .array(promptPinSchema)
    .max(limits.maxPrompts, `at most ${limits.maxPrompts} prompts`)
    .check(uniqueBy((prompt) => prompt.id, "id", "prompt id")),
  tools: z
    .array(toolPinSchema)
    .max(limits.maxTools, `at most ${limits.maxTools} tools`)
    .check(uniqueBy((tool) => tool.name, "name", "tool name")),
  memorySchema: memorySchemaSchema,
  config: releaseConfigSchema,
  // At least one when present: "no checks" is said one way only (omitting the field), so two
  // manifests that mean the same thing hash the same.
  capabilityChecks: z
    .array(capabilityCheckPinSchema, typeError("must be a list of checks"))
    .min(1, "must list at least one check; omit the field for none")
    .max(limits.maxCapabilityChecks, `at most ${limits.maxCapabilityChecks} capability checks`)
    .check(uniqueBy((check) => check.id, "id", "check id"))
    .optional(),
})
  // The name leads with the core version so a list of releases reads as a version history and a
  // manifest whose core was bumped but whose name was not is caught at upload.
  .refine((manifest) => manifest.name.startsWith(`${manifest.core}-`), {
    path: ["name"],
    error: (issue) => {
      const core = (issue.input as { core: string }).core;
      return `must start with the core version and a hyphen, e.g. "${core}-r1" for core ${core}`;
    },
    when: whenValid("name", "core"),
  })
  .refine((manifest) => manifest.replaces !== manifest.name, {
    path: ["replaces"],
    message: "a release cannot replace itself",
    when: whenValid("name", "replaces"),
  });

export type ReleaseManifest = z.infer<typeof releaseManifestSchema>;
