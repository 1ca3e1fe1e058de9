import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createJsonFileWriter } from "./create-json-file-writer";

describe("createJsonFileWriter", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "rollbook-writer-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("ends with the last value written, whatever the interleaving, and leaves no temp files", async () => {
    const file = path.join(dir, "state.json");
    const writer = createJsonFileWriter(file);
    const value = { n: 0 };
    const writes: Promise<void>[] = [];
    for (let n = 1; n <= 50; n++) {
      value.n = n; // mutated after each call: the writer must have snapshotted it
      writes.push(writer.write(value));
    }
    await Promise.all(writes);
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({ n: 50 });
    expect(await readdir(dir)).toEqual(["state.json"]);
  });

  it("stops touching the disk once frozen", async () => {
    const file = path.join(dir, "state.json");
    const writer = createJsonFileWriter(file);
    await writer.write({ n: 1 });
    writer.freeze();
    await writer.write({ n: 2 });
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({ n: 1 });
  });
});
