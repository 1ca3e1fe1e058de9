import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportEventsJson } from "./export-events-json";
import { readText } from "./testing/read-text";
import { scriptedRollout } from "./testing/scripted-rollout";
import { otherCheckpointSigner, testCheckpointSigner, testLogHead } from "./testing/test-checkpoints";
import { verifyBundleCli } from "./verify-bundle-cli";

const rollout = scriptedRollout();
let dir: string;
let good: string;
let tampered: string;
let cut: string;

function capture() {
  const lines = { out: [] as string[], err: [] as string[] };
  return { lines, output: { out: (line: string) => lines.out.push(line), err: (line: string) => lines.err.push(line) } };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "rollbook-bundle-"));
  const text = await readText(
    exportEventsJson(rollout.events, {
      scope: { planId: rollout.plan.id },
      generatedAt: rollout.generatedAt,
      checkpoints: { signer: testCheckpointSigner, logHead: testLogHead(rollout.events, rollout.generatedAt) },
    }),
  );
  good = path.join(dir, "good.json");
  tampered = path.join(dir, "tampered.json");
  cut = path.join(dir, "cut.json");
  await writeFile(good, text);
  await writeFile(tampered, text.replace('"actorEmail":"bob@ops.example"', '"actorEmail":"mallory@ops.example"'));
  // The last two events cut off and the trailer rewritten to match: only the signed checkpoint can tell.
  const bundle = JSON.parse(text) as { events: { seq: string; hash: string }[]; chain: Record<string, unknown> };
  bundle.events.splice(-2, 2);
  bundle.chain = { ...bundle.chain, count: bundle.events.length, headHash: bundle.events.at(-1)!.hash, lastSeq: bundle.events.at(-1)!.seq };
  await writeFile(cut, JSON.stringify(bundle));
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
    expect(lines.out[2]).toBe(
      `signed by key ${testCheckpointSigner.publicKey} (not pinned: compare it with publicKey of GET /api/audit/checkpoint, or pass --public-key).`,
    );
    expect(lines.out[3]).toMatch(new RegExp(`^log head at export: #${rollout.events.length} \\(signed at `));
    expect(lines.err).toEqual([]);
  });

  it("pins the dashboard's key with --public-key, and fails a bundle signed by another", async () => {
    const pinned = capture();
    await expect(verifyBundleCli([good, "--public-key", testCheckpointSigner.publicKey], pinned.output)).resolves.toBe(0);
    expect(pinned.lines.out[2]).toBe(`signed by the pinned key ${testCheckpointSigner.publicKey}.`);
    const other = capture();
    await expect(verifyBundleCli(["--public-key", otherCheckpointSigner.publicKey, good], other.output)).resolves.toBe(1);
    expect(other.lines.err[0]).toMatch(/^FAILED \(untrusted_key\): /);
  });

  it("fails a bundle whose end was cut off, thanks to the embedded checkpoint", async () => {
    const { lines, output } = capture();
    await expect(verifyBundleCli([cut], output)).resolves.toBe(1);
    const last = rollout.events.length;
    expect(lines.err[0]).toBe(
      `FAILED (truncated): The chain ends at sequence ${last - 2} before checkpoint ${last} (signed at ${rollout.generatedAt.toISOString()}): events were cut off the end of the bundle.`,
    );
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
    await expect(run(process.execPath, ["--import", "tsx", script, cut])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^FAILED \(truncated\)/) as unknown,
    });
  });
});
