import "server-only";
import { appendFile, mkdir, open, readFile } from "node:fs/promises";
import path from "node:path";
import { checkAuditCheckpoint, newestAuditCheckpoint, type SignedAuditCheckpoint } from "@/lib/audit/audit-checkpoint";
import { auditCheckpointFilePath } from "@/lib/audit/audit-checkpoint-file-path";
import { findAuditCheckpoints } from "@/lib/audit/find-audit-checkpoints";
import { db } from "../db";
import { auditCheckpointKey } from "./audit-checkpoint-key";
import { currentAuditCheckpoint } from "./current-audit-checkpoint";

/** This dashboard's checkpoint file (see auditCheckpointFilePath), or null when it is switched off. */
export async function auditCheckpointFile(): Promise<string | null> {
  const setting = process.env.ROLLBOOK_AUDIT_CHECKPOINT_FILE;
  if (setting?.trim() === "off") return null;
  const [row] = await db.$queryRaw<{ name: string }[]>`SELECT current_database()::text AS name`;
  return auditCheckpointFilePath({ setting, databaseName: row?.name ?? "rollbook" });
}

export interface AuditCheckpointFileContents {
  path: string;
  /** How many checkpoints the file holds. */
  count: number;
  /** The one furthest along the chain: it vouches for every row up to it, so it is the one verify checks. */
  newest: SignedAuditCheckpoint | null;
  problems: string[];
}

/** Reads the checkpoint file; a file that does not exist yet holds no checkpoints (a new install). */
export async function readAuditCheckpointFile(file: string): Promise<AuditCheckpointFileContents> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { path: file, count: 0, newest: null, problems: [] };
    throw error;
  }
  const found = findAuditCheckpoints(text);
  return {
    path: file,
    count: found.checkpoints.length,
    newest: newestAuditCheckpoint(found.checkpoints),
    problems: found.problems.map((problem) => `${file}: ${problem}`),
  };
}

export type AuditCheckpointWrite = "written" | "unchanged" | "empty_chain" | "refused" | "off";

/**
 * The periodic job (every minute, `audit-checkpoint`): appends the signed head to the checkpoint
 * file when it moved since the file's last line. Kept off the hot path on purpose: appending an
 * audit event happens inside many transactions and does no file I/O.
 *
 * It refuses to write when the chain no longer holds the file's last checkpoint (rows removed or
 * rewritten, or a checkpoint by another key after ROLLBOOK_SECRET_KEY changed): signing the
 * shorter chain would bury the evidence under a newer line. It logs why and leaves the file as it
 * is, so `verify` keeps reporting the problem.
 */
export async function writeAuditCheckpoint(): Promise<AuditCheckpointWrite> {
  const file = await auditCheckpointFile();
  if (!file) return "off";
  const last = await lastCheckpointIn(file);
  const head = await currentAuditCheckpoint();
  if (last && last.sequence === head.sequence && last.hash === head.hash) return "unchanged";
  if (last) {
    const atSequence = await db.auditEvent.findUnique({ where: { seq: BigInt(last.sequence) }, select: { hash: true } });
    const problem = checkAuditCheckpoint({
      checkpoint: last,
      trustedPublicKey: auditCheckpointKey().publicKey,
      lastSeq: head.sequence,
      hashAtSequence: atSequence?.hash ?? null,
    });
    if (problem) {
      console.error(`[audit] not writing a checkpoint to ${file}: ${problem.message}`);
      return "refused";
    }
  }
  if (head.sequence === "0") return "empty_chain";
  await mkdir(path.dirname(file), { recursive: true });
  // One write of one short line with O_APPEND: concurrent writers cannot interleave inside it.
  await appendFile(file, `${JSON.stringify(head)}\n`, { mode: 0o600 });
  return "written";
}

/** The file's last checkpoint, read from its tail: the file grows for ever and this runs every minute. */
async function lastCheckpointIn(file: string): Promise<SignedAuditCheckpoint | null> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 4_096);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer
      .toString("utf8")
      .split("\n")
      .filter((line) => line.trim() !== "");
    const lastLine = lines.at(-1);
    return lastLine === undefined ? null : (findAuditCheckpoints(lastLine).checkpoints[0] ?? null);
  } finally {
    await handle.close();
  }
}
