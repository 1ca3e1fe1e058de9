import { signedAuditCheckpointSchema, type SignedAuditCheckpoint } from "./audit-checkpoint";

export interface FoundAuditCheckpoints {
  checkpoints: SignedAuditCheckpoint[];
  /** Lines or documents that should have held a checkpoint and did not, with where. */
  problems: string[];
}

/**
 * The signed checkpoints in a piece of text, whatever carried them: the checkpoint file (JSON
 * Lines, one per line), a single checkpoint, the `GET /api/audit/checkpoint` reply, a failure
 * broadcast body (`auditCheckpoint`), or an incident bundle (`chain.checkpoint` and
 * `chain.logCheckpoint`). A reviewer can hand any of them to `npm run audit:verify -- --checkpoint`.
 *
 * Checkpoints are evidence, so nothing is skipped quietly: a line that is not a valid checkpoint is
 * reported as a problem (and a verify that sees a problem fails) rather than ignored.
 */
export function findAuditCheckpoints(text: string): FoundAuditCheckpoints {
  const whole = parseJson(text.trim());
  if (whole.ok && !isCheckpointLine(whole.value)) {
    const checkpoints = checkpointsInDocument(whole.value);
    return checkpoints.length > 0
      ? { checkpoints, problems: [] }
      : { checkpoints: [], problems: ["the document holds no signed audit checkpoint"] };
  }
  const found: FoundAuditCheckpoints = { checkpoints: [], problems: [] };
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    const parsed = parseJson(line);
    const checkpoint = parsed.ok ? signedAuditCheckpointSchema.safeParse(parsed.value) : null;
    if (checkpoint?.success) found.checkpoints.push(checkpoint.data);
    else found.problems.push(`line ${index + 1} is not a signed audit checkpoint`);
  });
  return found;
}

function checkpointsInDocument(value: unknown): SignedAuditCheckpoint[] {
  const candidates: unknown[] = [value];
  if (isRecord(value)) {
    candidates.push(value.checkpoint, value.auditCheckpoint);
    if (isRecord(value.chain)) candidates.push(value.chain.checkpoint, value.chain.logCheckpoint);
  }
  return candidates.flatMap((candidate) => {
    const parsed = signedAuditCheckpointSchema.safeParse(candidate);
    return parsed.success ? [parsed.data] : [];
  });
}

/** A JSON Lines file with one checkpoint parses as a whole too; read it as lines all the same. */
function isCheckpointLine(value: unknown): boolean {
  return signedAuditCheckpointSchema.safeParse(value).success;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
