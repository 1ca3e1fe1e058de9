import { randomBytes } from "node:crypto";
import { rename, writeFile } from "node:fs/promises";

export type JsonFileWriter = {
  /** Resolves once `value` (or a newer value written after it) is on disk. */
  write(value: unknown): Promise<void>;
  /** Stop touching the disk: used to make an in-process shutdown look like a crash. */
  freeze(): void;
};

/**
 * Atomic JSON persistence for one file: temp file + rename, so a crash leaves either the old
 * or the new document, never half of one. Writes are serialised and coalesced: with concurrent
 * callers, renames could otherwise land out of order and persist an older state last.
 */
export function createJsonFileWriter(
  path: string,
  serialize: (value: unknown) => string = (value) => `${JSON.stringify(value, null, 2)}\n`,
): JsonFileWriter {
  let inFlight: Promise<void> | null = null;
  let pending: { value: unknown; waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> } | null = null;
  let frozen = false;

  async function writeNow(value: unknown): Promise<void> {
    if (frozen) return;
    const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    await writeFile(temp, serialize(value), { mode: 0o600 });
    await rename(temp, path);
  }

  function pump(): void {
    if (inFlight || !pending) return;
    const batch = pending;
    pending = null;
    inFlight = writeNow(batch.value).then(
      () => batch.waiters.forEach((w) => w.resolve()),
      (error: unknown) => batch.waiters.forEach((w) => w.reject(error)),
    );
    void inFlight.finally(() => {
      inFlight = null;
      pump();
    });
  }

  return {
    write(value) {
      // Snapshot now: the caller may keep mutating its object while we wait for the disk.
      const snapshot = structuredClone(value);
      return new Promise<void>((resolve, reject) => {
        if (pending) pending.value = snapshot;
        else pending = { value: snapshot, waiters: [] };
        pending.waiters.push({ resolve, reject });
        pump();
      });
    },
    freeze() {
      frozen = true;
    },
  };
}
