import type { IncomingMessage } from "node:http";
import { AgentHttpError } from "./agent-http-error";

/**
 * The request body as UTF-8, refusing (413) as soon as it is known to exceed `limit` bytes.
 * Event-based on purpose: leaving a `for await` loop early destroys the socket, and the client
 * would see a reset instead of the 413 explaining why.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers["content-length"] ?? Number.NaN);
  if (declared > limit) return Promise.reject(new AgentHttpError("payload_too_large", `request body exceeds ${limit} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let refused = false;
    req.on("data", (chunk: Buffer) => {
      if (refused) return; // keep draining, discard
      total += chunk.length;
      if (total > limit) {
        refused = true;
        chunks.length = 0;
        reject(new AgentHttpError("payload_too_large", `request body exceeds ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!refused) resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", reject);
  });
}
