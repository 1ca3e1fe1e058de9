// Public surface of the release manifest domain: pure logic, shared by upload handlers, the
// release pages, the demo seed and tests.
export {
  releaseManifestSchema,
  releaseNameSchema,
  sha256Schema,
  modelPinsSchema,
  promptPinSchema,
  toolPinSchema,
  memorySchemaSchema,
  rateLimitSchema,
  permissionSchema,
  routingRuleSchema,
  releaseConfigSchema,
  capabilityCheckPinSchema,
  type ReleaseManifest,
  type CapabilityCheckPin,
  type ModelPins,
  type PromptPin,
  type ToolPin,
  type MemorySchema,
  type RateLimit,
  type Permission,
  type RoutingRule,
  type ReleaseConfig,
} from "./release-manifest-schema";
export { modelIdSchema, modelIdProblem } from "./model-id-schema";
export { exactVersionSchema, exactVersionProblem } from "./exact-version-schema";
export { releaseManifestLimits } from "./release-manifest-limits";
export { manifestRootField, type FieldErrors } from "./release-manifest-field-errors";
export { validateReleaseManifest, type ReleaseManifestResult } from "./validate-release-manifest";
export { parseReleaseManifest, type ManifestFormat } from "./parse-release-manifest";
export { releaseManifestSha256, releaseManifestCanonicalJson } from "./release-manifest-sha256";
export { validateReleaseSuccessor, type ReleaseSuccessorResult, type ValidateReleaseSuccessorOptions } from "./validate-release-successor";
export {
  diffReleaseManifests,
  versionChange,
  type ConfigChange,
  type ConfigValue,
  type DiffReleaseManifestsOptions,
  type ReleaseManifestDiff,
  type ValueChange,
  type VersionBump,
  type VersionChange,
} from "./diff-release-manifests";
export { exampleManifests, exampleManifestYaml } from "./example-manifests";
