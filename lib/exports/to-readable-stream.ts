/**
 * Adapts an export (an async iterable of text chunks) to the web stream a Next route handler
 * returns: `return new Response(toReadableStream(exportEventsCsv(events)), { headers })`.
 *
 * Pull-based, so the source only advances when the client reads: a slow download holds the
 * database cursor instead of buffering the export in memory. Cancelling the response (the client
 * went away) calls the source's `return()`, which runs its `finally` blocks and stops the reads.
 */
export function toReadableStream(source: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let iterator: AsyncIterator<string> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        iterator ??= source[Symbol.asyncIterator]();
        // Skip empty chunks: enqueueing nothing would leave this pull without progress.
        for (;;) {
          const next = await iterator.next();
          if (next.done) {
            controller.close();
            return;
          }
          if (next.value.length > 0) {
            controller.enqueue(encoder.encode(next.value));
            return;
          }
        }
      },
      async cancel() {
        await iterator?.return?.();
      },
    },
    // One chunk ahead is enough to keep the socket busy without reading the table into memory.
    { highWaterMark: 1 },
  );
}
