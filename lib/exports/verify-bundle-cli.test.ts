import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportEventsJson } from "./export-events-json";
import { readText } from "./testing/read-text";
import { scriptedRollout } from "./testing/scripted-rollout";
import { verifyBundleCli } from "./verify-bundle-cli";

const rollout = scriptedRollout();
let dir: string;
let good: string;
let tampered: string;

function capture() {
  const lines = { out: [] as string[], err: [] as string[] };
  return { lines, output: { out: (line: string) => lines.out.push(line), err: (line: string) => lines.err.push(line) } };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "rollbook-bundle-"));
  const text = await readText(exportEventsJson(rollout.events, { scope: { planId: rollout.plan.id }, generatedAt: rollout.generatedAt }));
  good = path.join(dir, "good.json");
  tampered = path.join(dir, "tampered.json");
  await writeFile(good, text);
  await writeFile(tampered, text.replace('"actorEmail":"bob@ops.example"', '"actorEmail":"mallory@ops.example"'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("verifyBundleCli", () => {
  it("prints OK and the head hash for an intact bundle", async () => {
    const { lines, output } = capture();
    await expect(verifyBundleCli([good], output)).resolves.toBe(0);
    expect(lines.out[0]).toBe(
      `OK: ${rollout.events.length} events, #1 to #${rollout.events.length}, starting at the beginning of the log.`,
    );
    expect(lines.out[1]).toContain(rollout.events.at(-1)!.hash);
    expect(lines.err).toEqual([]);
  });

  it("prints the first broken link and fails for a tampered bundle", async () => {
    const { lines, output } = capture();
    await expect(verifyBundleCli([tampered], output)).resolves.toBe(1);
    const firstBobEvent = rollout.events.find((event) => event.actorEmail === "bob@ops.example");
    expect(lines.err[0]).toMatch(new RegExp(`^FAILED \\(chain_break\\): Chain broken at event #${firstBobEvent?.seq} \\(hash_mismatch\\)`));
  });

  it("fails with a usage line or a read error for bad arguments", async () => {
    const usage = capture();
    await expect(verifyBundleCli([], usage.output)).resolves.toBe(1);
    expect(usage.lines.err[0]).toMatch(/^usage:/);
    const missing = capture();
    await expect(verifyBundleCli([path.join(dir, "missing.json")], missing.output)).resolves.toBe(1);
    expect(missing.lines.err[0]).toMatch(/^FAILED: cannot read/);
  });

  it("runs as a script with node --import tsx and exits 0 or 1", async () => {
    const run = promisify(execFile);
    const script = path.join(import.meta.dirname, "verify-bundle-cli.ts");
    const ok = await run(process.execPath, ["--import", "tsx", script, good]);
    expect(ok.stdout).toMatch(/^OK: /);
    await expect(run(process.execPath, ["--import", "tsx", script, tampered])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^FAILED \(chain_break\)/) as unknown,
    });
  });
});
