import path from "node:path";

/**
 * Where the dashboard keeps its checkpoint file: ROLLBOOK_AUDIT_CHECKPOINT_FILE, `off` for none,
 * by default `.data/audit-checkpoints-<database>.jsonl`. One file per database by default, so the
 * demo's and the e2e suite's dashboards, which share a checkout, never mix their checkpoints (a
 * checkpoint of one chain would report the other as rewritten).
 */
export function auditCheckpointFilePath(options: { setting: string | undefined; databaseName: string; cwd?: string }): string | null {
  const cwd = options.cwd ?? process.cwd();
  const setting = options.setting?.trim();
  if (setting === "off") return null;
  if (setting) return path.resolve(cwd, setting);
  return defaultAuditCheckpointFilePath(options.databaseName, cwd);
}

export function defaultAuditCheckpointFilePath(databaseName: string, cwd: string = process.cwd()): string {
  return path.resolve(cwd, ".data", `audit-checkpoints-${databaseName.replace(/[^A-Za-z0-9_.-]/g, "_")}.jsonl`);
}
