import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hashOpenclawConfig } from "./hash-openclaw-config";

describe("hashOpenclawConfig", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "rollbook-openclaw-config-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("covers openclaw.json and the JSON5 files it $includes, nested and in arrays", async () => {
    const config = path.join(dir, "openclaw.json");
    await mkdir(path.join(dir, "clients"));
    await writeFile(
      config,
      `{ gateway: { port: 18789 }, agents: { $include: "./agents.json5" }, broadcast: { $include: ["./clients/a.json5"] } }`,
    );
    await writeFile(path.join(dir, "agents.json5"), `{ list: [{ $include: "./deep.json5" }] } // comment`);
    await writeFile(path.join(dir, "deep.json5"), `{ id: "main" }`);
    await writeFile(path.join(dir, "clients", "a.json5"), `{ a: 1 }`);

    const first = await hashOpenclawConfig(config);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await hashOpenclawConfig(config)).toBe(first);

    await writeFile(path.join(dir, "deep.json5"), `{ id: "other" }`);
    const second = await hashOpenclawConfig(config);
    expect(second).not.toBe(first);
    await writeFile(path.join(dir, "clients", "a.json5"), `{ a: 2 }`);
    expect(await hashOpenclawConfig(config)).not.toBe(second);
  });

  it("is null without a config file, and hashes an include that is missing as missing", async () => {
    const config = path.join(dir, "openclaw.json");
    expect(await hashOpenclawConfig(config)).toBeNull();
    await writeFile(config, `{ agents: { $include: "./agents.json5" } }`);
    const missing = await hashOpenclawConfig(config);
    await writeFile(path.join(dir, "agents.json5"), `{}`);
    expect(await hashOpenclawConfig(config)).not.toBe(missing);
  });

  it("stops at include cycles", async () => {
    const config = path.join(dir, "openclaw.json");
    await writeFile(config, `{ a: { $include: "./b.json5" } }`);
    await writeFile(path.join(dir, "b.json5"), `{ back: { $include: "./openclaw.json" } }`);
    expect(await hashOpenclawConfig(config)).toMatch(/^[0-9a-f]{64}$/);
  });
});
