import { describe, expect, it } from "vitest";
import { toReadableStream } from "./to-readable-stream";

describe("toReadableStream", () => {
  it("encodes each chunk as UTF-8 and skips empty ones", async () => {
    async function* chunks() {
      yield "a,";
      yield "";
      yield "→\r\n";
    }
    const text = await new Response(toReadableStream(chunks())).text();
    expect(text).toBe("a,→\r\n");
  });

  it("pulls lazily: nothing beyond one chunk ahead is read before the consumer asks", async () => {
    let pulled = 0;
    async function* chunks() {
      for (let index = 0; index < 100; index += 1) {
        pulled += 1;
        yield `${index}\n`;
      }
    }
    const reader = toReadableStream(chunks()).getReader();
    await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(pulled).toBeLessThanOrEqual(2);
    await reader.cancel();
  });

  it("closes the source when the consumer cancels, and surfaces source errors", async () => {
    let closed = false;
    async function* endless() {
      try {
        for (;;) yield "x";
      } finally {
        closed = true;
      }
    }
    const reader = toReadableStream(endless()).getReader();
    await reader.read();
    await reader.cancel();
    expect(closed).toBe(true);

    async function* failing(): AsyncGenerator<string> {
      yield "ok";
      throw new Error("database went away");
    }
    await expect(new Response(toReadableStream(failing())).text()).rejects.toThrow("database went away");
  });
});
