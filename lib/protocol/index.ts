// Public surface of the node-agent wire contract, shared by the dashboard and the agent.
export { canonicalJson } from "./canonical-json";
export { sha256Hex } from "./sha256-hex";
export { versionSchema, type Version } from "./version-schema";
export { pluginNameSchema, type PluginName } from "./plugin-name-schema";
export { lockSchema, type Lock } from "./lock-schema";
export { bookmarkSchema, type Bookmark } from "./bookmark-schema";
export { agentProtocolLimits } from "./agent-protocol-limits";
export { agentSecretSchema, type AgentSecret } from "./agent-secret-schema";
export { generateAgentSecret } from "./generate-agent-secret";
export {
  checkStatusSchema,
  doctorCheckSchema,
  doctorReportSchema,
  type CheckStatus,
  type DoctorCheck,
  type DoctorReport,
} from "./doctor-report-schema";
export {
  capabilityCheckIdSchema,
  capabilityCheckListSchema,
  capabilityCheckSchema,
  capabilityKinds,
  capabilityKindSchema,
  type CapabilityCheck,
  type CapabilityKind,
} from "./capability-check-schema";
export {
  capabilityCheckResultSchema,
  capabilityReportSchema,
  type CapabilityCheckResult,
  type CapabilityReport,
} from "./capability-report-schema";
export { queueSnapshotSchema, type QueueSnapshot } from "./queue-snapshot-schema";
export { webhookDigestSchema, webhookDigestQuerySchema, type WebhookDigest } from "./webhook-digest-schema";
export { healthReplySchema, type HealthReply } from "./health-reply-schema";
export {
  installedTreeSchema,
  lbStateSchema,
  pluginNodeSchema,
  readinessReasonSchema,
  readinessReportSchema,
  type InstalledTree,
  type LbState,
  type PluginNode,
  type ReadinessReason,
  type ReadinessReport,
} from "./readiness-report-schema";
export { readyProbeParts, readyProbeSha256, type ReadyProbeInput } from "./ready-probe-sha256";
export {
  actionNameSchema,
  actionNames,
  actionSchemas,
  isActionName,
  mutatingActions,
  softwareChangingActions,
  type ActionBody,
  type ActionName,
} from "./action-schemas";
export {
  actionReplySchema,
  gatewayBackupSchema,
  operationListSchema,
  operationLogLineSchema,
  operationResultSchema,
  operationSchema,
  operationStatusSchema,
  terminalOperationStatuses,
  type ActionReply,
  type GatewayBackup,
  type Operation,
  type OperationLogLine,
  type OperationResult,
  type OperationStatus,
} from "./operation-schema";
export {
  cancelOperationReplySchema,
  cancelOperationRequestSchema,
  type CancelOperationReply,
  type CancelOperationRequest,
} from "./cancel-operation-schema";
export {
  agentErrorBodySchema,
  agentErrorCodeSchema,
  agentErrorStatus,
  type AgentErrorBody,
  type AgentErrorCode,
} from "./agent-error-schema";
export { fleetFileSchema, fleetNodeSchema, nodeRoleSchema, type FleetFile, type FleetNode, type NodeRole } from "./fleet-file-schema";
export { signedPayload } from "./signed-payload";
export { signRequest, type SignRequestOptions, type SignedHeaders } from "./sign-request";
export { verifyRequest, type VerifyRequestOptions, type VerifyRequestResult } from "./verify-request";
export { AgentCallError, type AgentCallErrorCode } from "./agent-call-error";
export {
  agentConnections,
  createAgentClient,
  type ActionAccepted,
  type ActionOptions,
  type AgentClient,
  type AgentClientOptions,
  type CancelOperationOptions,
  type WaitForOperationOptions,
} from "./create-agent-client";
