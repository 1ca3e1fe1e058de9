import type { ServerResponse } from "node:http";

/** Writes a JSON reply; `close` asks the client to drop the connection (after an unread body). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  options: { close?: boolean; headers?: Record<string, string> } = {},
): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    ...(options.close ? { connection: "close" } : {}),
    ...options.headers,
  });
  res.end(text);
}
