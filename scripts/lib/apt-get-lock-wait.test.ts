import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

/**
 * `apt_get` in scripts/lib/common.sh must wait while another apt-get or dpkg holds a lock (another
 * checkout's `npm test` installing Chromium, unattended-upgrades), not fail at once. The real apt
 * runs against a private copy of its state (Dir::State, Dir::Cache, dpkg's admindir, no sources),
 * so the test neither touches the machine's package database nor downloads anything; the lock is a
 * real fcntl lock, the kind apt and dpkg take, held by a second process.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");

let dir: string;
let holder: ChildProcess | undefined;
afterEach(async () => {
  holder?.kill();
  holder = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function privateAptState(): Promise<string[]> {
  dir = await mkdtemp(path.join(os.tmpdir(), "rollbook-apt-"));
  for (const sub of ["lists/partial", "cache/archives/partial", "sources.d", "dpkg/updates"])
    await mkdir(path.join(dir, sub), { recursive: true });
  await writeFile(path.join(dir, "dpkg/status"), "");
  return [
    `Dir::State::Lists=${dir}/lists`,
    `Dir::State::status=${dir}/dpkg/status`,
    `DPkg::Options::=--admindir=${dir}/dpkg`,
    `Dir::Cache=${dir}/cache`,
    "Dir::Etc::SourceList=/dev/null",
    `Dir::Etc::SourceParts=${dir}/sources.d`,
  ].flatMap((option) => ["-o", option]);
}

/** Takes an fcntl write lock on `file` (perl-base is part of every Debian) and holds it for `ms`. */
async function holdLock(file: string, ms: number): Promise<void> {
  const script = `use Fcntl; open(my $f, ">>", $ARGV[0]) or die $!; my $l = pack("s s x4 q q i x4", F_WRLCK, 0, 0, 0, 0);
    fcntl($f, F_SETLKW, $l) or die $!; $| = 1; print "locked\\n"; select(undef, undef, undef, $ARGV[1] / 1000);`;
  const child = spawn("perl", ["-e", script, file, String(ms)], { stdio: ["ignore", "pipe", "inherit"] });
  holder = child;
  await new Promise<void>((resolve, reject) => {
    child.stdout.once("data", () => resolve());
    child.once("exit", (code) => reject(new Error(`lock holder exited (${code})`)));
  });
}

async function aptGet(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn("bash", ["-c", 'source scripts/lib/common.sh && apt_get "$@"', "_", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { status, stderr, ms: Date.now() - started };
}

describe("apt_get", () => {
  it("waits for the lists lock that apt-get update needs (DPkg::Lock::Timeout does not cover it), saying so", async () => {
    const options = await privateAptState();
    await holdLock(path.join(dir, "lists/lock"), 2000);
    const result = await aptGet([...options, "update"]);
    expect(result).toMatchObject({ status: 0 });
    expect(result.ms).toBeGreaterThan(1500);
    expect(result.stderr).toContain(`Waiting for another apt-get/dpkg to finish: Could not get lock ${dir}/lists/lock`);
  });

  it("waits for dpkg's frontend lock before installing", async () => {
    const options = await privateAptState();
    await holdLock(path.join(dir, "dpkg/lock-frontend"), 2000);
    const result = await aptGet([...options, "install", "-y", "--no-install-recommends"]);
    expect(result).toMatchObject({ status: 0 });
    expect(result.ms).toBeGreaterThan(1500);
  });

  it("gives up after ROLLBOOK_APT_LOCK_WAIT seconds with apt's own error", async () => {
    const options = await privateAptState();
    await holdLock(path.join(dir, "lists/lock"), 10_000);
    const result = await aptGet([...options, "update"], { ROLLBOOK_APT_LOCK_WAIT: "1" });
    expect(result.status).not.toBe(0);
    expect(result.ms).toBeLessThan(8000);
    expect(result.stderr).toContain(`E: Could not get lock ${dir}/lists/lock`);
  });
});
