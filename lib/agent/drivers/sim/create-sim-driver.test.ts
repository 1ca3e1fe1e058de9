import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createSimDriver } from "./create-sim-driver";

const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function persistedState(stateDir: string): Promise<{ installed: { core: string }; lb: { weight: number } }> {
  return JSON.parse(await readFile(path.join(stateDir, "sim-state.json"), "utf8")) as {
    installed: { core: string };
    lb: { weight: number };
  };
}

describe("the sim driver's commits", () => {
  it("never shows a change before it is on disk, so a crash cannot take back what was reported", async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), "rollbook-sim-commit-"));
    dirs.push(stateDir);
    const driver = await createSimDriver({ stateDir, speed: 1000 });
    const ctx = { signal: new AbortController().signal, log: () => undefined };
    const before = (await driver.snapshot()).installed.core;

    const install = driver.installCore("2026.12.0", ctx);
    // Read as fast as the event loop allows while the install commits: the moment the new core
    // is visible, the file must already have it.
    let seen = false;
    while (!seen) {
      seen = (await driver.snapshot()).installed.core === "2026.12.0";
      if (seen) expect((await persistedState(stateDir)).installed.core).toBe("2026.12.0");
      else expect(driver.readState().installed.core).toBe(before);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await install;
  });

  it("applies concurrent commits one after another, losing none", async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), "rollbook-sim-commit-"));
    dirs.push(stateDir);
    const driver = await createSimDriver({ stateDir, speed: 1000 });
    const ctx = { signal: new AbortController().signal, log: () => undefined };
    await Promise.all([
      driver.installCore("2026.12.0", ctx),
      driver.setLbState({ weight: 7 }, ctx),
      driver.setFaults({ "2026.12.0": { slowMigrationMs: 5 } }),
    ]);
    const state = driver.readState();
    expect(state.installed.core).toBe("2026.12.0");
    expect(state.lb.weight).toBe(7);
    expect(state.faults).toEqual({ "2026.12.0": { slowMigrationMs: 5 } });
    expect(await persistedState(stateDir)).toMatchObject({ installed: { core: "2026.12.0" }, lb: { weight: 7 } });
  });
});
