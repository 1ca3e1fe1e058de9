import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

// Locks taken by this process, so two agents in one process (tests, fleet) cannot share a dir
// either: a pid check alone would think our own lock is free.
const heldHere = new Set<string>();

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * One agent per state dir: two would interleave writes to the same operations and install
 * state. A lock left by a process that died (SIGKILL, power loss) is taken over.
 */
export async function acquireStateDirLock(stateDir: string): Promise<{ release(): Promise<void> }> {
  await mkdir(stateDir, { recursive: true });
  const lockPath = path.join(path.resolve(stateDir), "agent.lock");
  if (heldHere.has(lockPath)) throw new Error(`state dir ${stateDir} is already used by an agent in this process`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lockPath, String(process.pid), { flag: "wx" });
      heldHere.add(lockPath);
      return {
        async release() {
          heldHere.delete(lockPath);
          await rm(lockPath, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number((await readFile(lockPath, "utf8").catch(() => "")).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && processAlive(owner)) {
        throw new Error(`state dir ${stateDir} is locked by running agent pid ${owner}`);
      }
      await rm(lockPath, { force: true });
    }
  }
  throw new Error(`could not lock state dir ${stateDir}`);
}
