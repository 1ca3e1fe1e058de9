import { z } from "zod";
import { actionNameSchema } from "./action-schemas";
import { capabilityReportSchema } from "./capability-report-schema";
import { doctorReportSchema } from "./doctor-report-schema";
import { installedTreeSchema, lbStateSchema, readinessReasonSchema } from "./readiness-report-schema";

export const operationStatusSchema = z.enum(["queued", "running", "succeeded", "failed"]);
export type OperationStatus = z.infer<typeof operationStatusSchema>;

export const operationLogLineSchema = z.object({
  at: z.iso.datetime(),
  level: z.enum(["info", "warn", "error"]),
  message: z.string(),
});
export type OperationLogLine = z.infer<typeof operationLogLineSchema>;

/**
 * A verified backup of the gateway's state (OpenClaw: `openclaw backup create --verify`), taken on
 * `coreVersion` before the core changed. A rollback to that version restores it.
 */
export const gatewayBackupSchema = z.object({
  archivePath: z.string().min(1).max(4096),
  createdAt: z.iso.datetime(),
  coreVersion: z.string().min(1).max(64),
  verified: z.boolean(),
});
export type GatewayBackup = z.infer<typeof gatewayBackupSchema>;

/** What an operation produced; which members are present depends on the action. */
export const operationResultSchema = z.object({
  lb: lbStateSchema.optional(),
  installed: installedTreeSchema.optional(),
  lockfileSha256: z.string().nullable().optional(),
  doctor: doctorReportSchema.optional(),
  ready: z.boolean().optional(),
  reasons: z.array(readinessReasonSchema).optional(),
  readyProbeSha256: z.string().optional(),
  /** verify: the capability checks it ran; absent when the node has no check set. */
  capabilities: capabilityReportSchema.optional(),
  /** upgrade: the verified backup the driver took before changing the core (drivers that take one). */
  backup: gatewayBackupSchema.optional(),
  /** rollback: the backup the driver restored after downgrading the core. */
  restoredBackup: gatewayBackupSchema.optional(),
});
export type OperationResult = z.infer<typeof operationResultSchema>;

/** GET /v1/operations/:id */
export const operationSchema = z.object({
  id: z.string(),
  action: actionNameSchema,
  status: operationStatusSchema,
  request: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
  log: z.array(operationLogLineSchema),
  result: operationResultSchema.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type Operation = z.infer<typeof operationSchema>;

export const terminalOperationStatuses: ReadonlySet<OperationStatus> = new Set(["succeeded", "failed"]);

/** Reply to POST /v1/actions/* (202 when created, 200 when an idempotent repeat). */
export const actionReplySchema = z.object({ operation: operationSchema });
export type ActionReply = z.infer<typeof actionReplySchema>;

/** GET /v1/operations — newest first. */
export const operationListSchema = z.object({ operations: z.array(operationSchema) });
