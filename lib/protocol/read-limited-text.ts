/**
 * Reads a reply body as UTF-8, giving up (and destroying the stream) once it exceeds maxBytes, so
 * a misbehaving agent cannot make the dashboard buffer an unbounded reply. Returns null when the
 * limit was exceeded, whether the agent declared the size up front or streamed it.
 */
export async function readLimitedText(
  body: AsyncIterable<Uint8Array> & { destroy(error?: Error): unknown },
  declaredLength: number | undefined,
  maxBytes: number,
): Promise<string | null> {
  if (declaredLength !== undefined && declaredLength > maxBytes) {
    body.destroy();
    return null;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      body.destroy();
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total).toString("utf8");
}
