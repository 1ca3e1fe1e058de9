import { z } from "zod";

export const checkStatusSchema = z.enum(["ok", "warn", "fail"]);
export type CheckStatus = z.infer<typeof checkStatusSchema>;

export const doctorCheckSchema = z.object({
  /** Real OpenClaw check ids are paths such as "core/doctor/gateway-auth". */
  id: z.string().min(1).max(128),
  status: checkStatusSchema,
  message: z.string().max(2000),
  /** What the gateway's own doctor says would fix it (OpenClaw's `fixHint`), when it says. */
  fixHint: z.string().max(2000).optional(),
  /** The config path or file the finding is about (OpenClaw's `path`), when it names one. */
  path: z.string().max(4096).optional(),
});
export type DoctorCheck = z.infer<typeof doctorCheckSchema>;

/** GET /v1/doctor — what `openclaw doctor` says about the gateway on this node. */
export const doctorReportSchema = z.object({
  /** Installed core version, null when the gateway cannot even report one. */
  version: z.string().nullable(),
  agentVersion: z.string(),
  checks: z.array(doctorCheckSchema).max(200),
  status: checkStatusSchema,
  generatedAt: z.iso.datetime(),
});
export type DoctorReport = z.infer<typeof doctorReportSchema>;
