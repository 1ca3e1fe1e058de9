import { Webhook } from "standardwebhooks";
import { signedPayload } from "./signed-payload";

export type SignRequestOptions = {
  secret: string;
  method: string;
  /** Exactly what goes on the request line, e.g. "/v1/webhook-digest?windowSec=60". */
  pathWithQuery: string;
  body: string;
  /** webhook-id; reuse the same id (and body) to retry an action idempotently. */
  id?: string;
  /** Defaults to now; tests pass an old date to prove stale signatures are refused. */
  timestamp?: Date;
};

export type SignedHeaders = {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

/** Standard Webhooks headers for one agent request. */
export function signRequest(options: SignRequestOptions): SignedHeaders {
  const id = options.id ?? `msg_${globalThis.crypto.randomUUID()}`;
  const timestamp = options.timestamp ?? new Date();
  const signature = new Webhook(options.secret).sign(id, timestamp, signedPayload(options.method, options.pathWithQuery, options.body));
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "webhook-signature": signature,
  };
}
