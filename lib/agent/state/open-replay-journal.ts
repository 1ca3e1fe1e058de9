import { randomBytes } from "node:crypto";
import { open, readFile, rename, rm, stat, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { agentProtocolLimits } from "@/lib/protocol";

/**
 * The replay journal: every webhook-id the agent has answered, on disk, so a signed request
 * captured before a restart cannot be replayed after it (the in-memory replay cache dies with
 * the process; the Standard Webhooks timestamp alone keeps a signature valid for 5 minutes).
 *
 * Why a journal and not "refuse anything signed before the agent started": the dashboard signs
 * with its own clock, so that rule would refuse a dashboard whose clock runs a little behind the
 * agent's for as long as the skew, and would still accept a signature dated ahead of the old
 * process's clock (the tolerance goes both ways). The journal is exact for any skew. Only when
 * the journal is lost (corrupt, unreadable, or missing in a state dir an agent already used) does
 * the agent fall back to refusing by timestamp, and then it refuses everything the old process
 * could have accepted: signatures dated before start + tolerance (fail closed, ~5 minutes).
 *
 * Format: JSON lines. Line 1 is the header; every other line is one entry. Appends are batched
 * (group commit) and fsynced before the callers are told the ids are durable. A crash mid-append
 * can only tear the last line, whose fsync never completed, so no reply depended on it: a torn
 * last line is ignored. Anything else that does not validate means the file cannot be trusted.
 * The file is rewritten (temp file + fsync + rename + directory fsync) at open and whenever it
 * has grown to twice the live entries, dropping expired ids, so it stays bounded.
 */

const JOURNAL_KIND = "rollbook-replay-journal";
/** Generous per-line bound (an entry is ~230 bytes with a 128-character id). */
const MAX_LINE_BYTES = 512;
/** Never compact below this many lines: a small file is cheap to append to. */
const MIN_COMPACTION_LINES = 1024;

const headerSchema = z.strictObject({
  kind: z.literal(JOURNAL_KIND),
  version: z.literal(1),
  /** Set by a start that found the journal lost: signatures dated before this are refused. */
  refuseSignedBeforeMs: z.int().min(0).nullable(),
});
type JournalHeader = z.infer<typeof headerSchema>;

const entrySchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(agentProtocolLimits.maxWebhookIdLength)
    .regex(/^[\x21-\x7e]+$/),
  fp: z.string().regex(/^[0-9a-f]{64}$/),
  exp: z.int().positive(),
});

export type ReplayJournalEntry = { id: string; fingerprint: string; expiresAt: number };

/** What the previous process left behind, as found at open. */
export type ReplayJournalState =
  { kind: "new" } | { kind: "restored"; tornTail: boolean } | { kind: "lost"; reason: string; keptAs: string | null };

export type ReplayJournal = {
  readonly state: ReplayJournalState;
  /** Live entries found at open, soonest expiry first. */
  readonly restored: ReplayJournalEntry[];
  /** Signed requests dated before this (ms) must be refused (the journal was lost); null: none. */
  readonly refuseSignedBeforeMs: number | null;
  /** Resolves once the entry is on disk (fsynced); rejects if it could not be written. */
  append(entry: ReplayJournalEntry): Promise<void>;
  /** Waits for pending appends, then closes the file; later appends reject. */
  close(): Promise<void>;
};

export type OpenReplayJournalOptions = {
  file: string;
  /** An agent already ran in this state dir, so a missing journal means a lost one. */
  hadEarlierAgent: boolean;
  /** How far either side of the clock a signature timestamp is accepted. */
  toleranceMs: number;
  /** The replay cache's bound; a journal this agent wrote never holds more than about twice it. */
  maxEntries: number;
  /** The ids to keep when compacting: the replay cache's live entries. */
  live: () => Iterable<ReplayJournalEntry>;
  now?: () => number;
};

type Loaded = { state: ReplayJournalState; entries: ReplayJournalEntry[]; refuseSignedBeforeMs: number | null };

function entryLine(entry: ReplayJournalEntry): string {
  return `${JSON.stringify({ id: entry.id, fp: entry.fingerprint, exp: entry.expiresAt })}\n`;
}

function parseLine<S extends z.ZodType>(line: string, schema: S): z.infer<S> | null {
  try {
    const parsed = schema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

async function fsyncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch (error) {
    // Some platforms cannot fsync a directory; the rename is still atomic there.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EISDIR" && code !== "EINVAL" && code !== "EPERM" && code !== "EBADF") throw error;
  } finally {
    await handle?.close();
  }
}

async function load(options: OpenReplayJournalOptions, at: number): Promise<Loaded> {
  const maxLines = 2 * options.maxEntries + 2 * MIN_COMPACTION_LINES;
  const lost = (reason: string): Loaded => ({
    state: { kind: "lost", reason, keptAs: null },
    entries: [],
    // The old process accepted timestamps up to its clock + tolerance, and it was alive until now at most.
    refuseSignedBeforeMs: at + options.toleranceMs,
  });
  let text: string;
  try {
    const info = await stat(options.file);
    if (!info.isFile()) return lost("it is not a regular file");
    if (info.size > maxLines * MAX_LINE_BYTES) return lost(`it is ${info.size} bytes, more than this agent ever writes`);
    text = await readFile(options.file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") return lost(`it cannot be read (${(error as Error).message})`);
    if (options.hadEarlierAgent) return lost("it is missing, but an agent already used this state dir");
    return { state: { kind: "new" }, entries: [], refuseSignedBeforeMs: null };
  }

  const lines = text.split("\n");
  // "" when the file ends with a newline; otherwise the last append was torn by a crash.
  const tail = lines.pop() ?? "";
  if (lines.length === 0) return lost("it has no header");
  if (lines.length > maxLines) return lost(`it has ${lines.length} lines, more than this agent ever writes`);
  const header: JournalHeader | null = parseLine(lines[0]!, headerSchema);
  if (!header) return lost("its header is not a version 1 replay journal header");

  const byId = new Map<string, ReplayJournalEntry>();
  const keep = (entry: z.infer<typeof entrySchema>) => {
    const known = byId.get(entry.id);
    if (!known || known.expiresAt < entry.exp) byId.set(entry.id, { id: entry.id, fingerprint: entry.fp, expiresAt: entry.exp });
  };
  for (let index = 1; index < lines.length; index++) {
    const entry = parseLine(lines[index]!, entrySchema);
    if (!entry) return lost(`line ${index + 1} is not a valid entry`);
    keep(entry);
  }
  // A torn tail that still parses was written whole but for its newline: remembering it is safe.
  const tailEntry = tail === "" ? null : parseLine(tail, entrySchema);
  if (tailEntry) keep(tailEntry);

  const entries = [...byId.values()].filter((entry) => entry.expiresAt > at).sort((a, b) => a.expiresAt - b.expiresAt);
  // Once every signature dated before it is stale, the old refusal has nothing left to refuse.
  const refuse = header.refuseSignedBeforeMs;
  return {
    state: { kind: "restored", tornTail: tail !== "" && !tailEntry },
    entries,
    refuseSignedBeforeMs: refuse !== null && refuse + options.toleranceMs > at ? refuse : null,
  };
}

/**
 * Opens (and compacts) the journal in `file`. Never throws for what it finds in the file: a
 * corrupt or unreadable journal is moved aside to `<file>.corrupt` and reported as lost, and the
 * agent refuses signatures the old process might have seen. It throws only when it cannot write
 * a new journal, because then it could not keep any promise about replays.
 */
export async function openReplayJournal(options: OpenReplayJournalOptions): Promise<ReplayJournal> {
  const now = options.now ?? (() => Date.now());
  const file = options.file;
  const loaded = await load(options, now());
  let state = loaded.state;
  if (state.kind === "lost") {
    const keptAs = `${file}.corrupt`;
    try {
      await rm(keptAs, { recursive: true, force: true });
      await rename(file, keptAs);
      state = { ...state, keptAs };
    } catch {
      // Missing (nothing to keep) or immovable; the rewrite below replaces it either way.
      await rm(file, { recursive: true, force: true });
    }
  }
  // Kept in every rewrite until it no longer matters, so a second restart inside the window
  // (with a perfectly good new journal) still refuses what the lost one might have held.
  let refuseSignedBeforeMs = loaded.refuseSignedBeforeMs;

  let handle: FileHandle | null = null;
  let linesInFile = 0;
  let compactAt = MIN_COMPACTION_LINES;
  let needsRewrite = false;
  let closed = false;
  let pending: { lines: string[]; waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> } | null = null;
  let flushing: Promise<void> | null = null;
  let idle: { promise: Promise<void>; resolve: () => void } | null = null;

  async function rewrite(entries: Iterable<ReplayJournalEntry>): Promise<void> {
    const at = now();
    if (refuseSignedBeforeMs !== null && refuseSignedBeforeMs + options.toleranceMs <= at) refuseSignedBeforeMs = null;
    const live = [...entries].filter((entry) => entry.expiresAt > at);
    const header: JournalHeader = { kind: JOURNAL_KIND, version: 1, refuseSignedBeforeMs };
    const text = `${JSON.stringify(header)}\n${live.map(entryLine).join("")}`;
    const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      const out = await open(temp, "w", 0o600);
      try {
        await out.writeFile(text);
        await out.sync();
      } finally {
        await out.close();
      }
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    await fsyncDir(path.dirname(file));
    const previous = handle;
    handle = null;
    await previous?.close();
    handle = await open(file, "a", 0o600);
    linesInFile = live.length + 1;
    compactAt = Math.max(MIN_COMPACTION_LINES, 2 * linesInFile);
  }

  async function flush(lines: string[]): Promise<void> {
    // After a failed write the file may end in a partial line; start from a clean copy first.
    if (needsRewrite || !handle) {
      await rewrite(options.live());
      needsRewrite = false;
    }
    await handle!.write(lines.join(""));
    await handle!.datasync();
    linesInFile += lines.length;
    if (linesInFile >= compactAt) await rewrite(options.live());
  }

  function pump(): void {
    if (flushing) return;
    if (!pending) {
      idle?.resolve();
      idle = null;
      return;
    }
    const batch = pending;
    pending = null;
    flushing = flush(batch.lines).then(
      () => batch.waiters.forEach((waiter) => waiter.resolve()),
      (error: unknown) => {
        needsRewrite = true;
        batch.waiters.forEach((waiter) => waiter.reject(error));
      },
    );
    void flushing.finally(() => {
      flushing = null;
      pump();
    });
  }

  await rewrite(loaded.entries);

  return {
    state,
    restored: loaded.entries,
    refuseSignedBeforeMs: loaded.refuseSignedBeforeMs,
    append(entry) {
      if (closed) return Promise.reject(new Error("replay journal is closed"));
      return new Promise<void>((resolve, reject) => {
        pending ??= { lines: [], waiters: [] };
        pending.lines.push(entryLine(entry));
        pending.waiters.push({ resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      if (flushing || pending) {
        idle ??= (() => {
          let resolve!: () => void;
          const promise = new Promise<void>((r) => (resolve = r));
          return { promise, resolve };
        })();
        await idle.promise;
      }
      const last = handle;
      handle = null;
      await last?.close();
    },
  };
}
