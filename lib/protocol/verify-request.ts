import { WebhookVerificationError, type Webhook } from "standardwebhooks";
import { agentProtocolLimits } from "./agent-protocol-limits";
import { signedPayload } from "./signed-payload";

export type VerifyRequestOptions = {
  /** The verifier is built once per secret; decoding base64 on every request is wasted work. */
  webhook: Webhook;
  method: string;
  pathWithQuery: string;
  body: string;
  headers: Record<string, string | string[] | undefined>;
};

export type VerifyRequestResult =
  | { ok: true; id: string; timestampSec: number }
  | { ok: false; code: "missing_signature" | "bad_signature" | "stale_timestamp"; message: string };

function header(headers: VerifyRequestOptions["headers"], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? undefined : value;
}

/**
 * Checks a request signed with {@link signRequest}. Header shape and timestamp window are checked
 * here first so each failure gets its own clear code; the HMAC itself is the library's.
 * Replay detection is the caller's job: it needs memory this pure function does not have.
 */
export function verifyRequest(options: VerifyRequestOptions): VerifyRequestResult {
  const id = header(options.headers, "webhook-id");
  const timestamp = header(options.headers, "webhook-timestamp");
  const signature = header(options.headers, "webhook-signature");
  if (!id || !timestamp || !signature) {
    return { ok: false, code: "missing_signature", message: "webhook-id, webhook-timestamp and webhook-signature headers are required" };
  }
  if (id.length > agentProtocolLimits.maxWebhookIdLength || !/^[\x21-\x7e]+$/.test(id)) {
    return { ok: false, code: "bad_signature", message: "webhook-id must be 1-128 printable ASCII characters" };
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    return { ok: false, code: "bad_signature", message: "webhook-timestamp must be unix seconds" };
  }
  const timestampSec = Number(timestamp);
  // Same clock the library checks against below, so the two checks can never disagree.
  const nowSec = Math.floor(Date.now() / 1000);
  if (Math.abs(nowSec - timestampSec) > agentProtocolLimits.signatureToleranceSec) {
    return {
      ok: false,
      code: "stale_timestamp",
      message: `webhook-timestamp is more than ${agentProtocolLimits.signatureToleranceSec}s away from the agent clock`,
    };
  }
  try {
    options.webhook.verify(
      signedPayload(options.method, options.pathWithQuery, options.body),
      { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature },
      { jsonParse: false },
    );
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    return { ok: false, code: "bad_signature", message: "signature does not match this node's secret, method, path and body" };
  }
  return { ok: true, id, timestampSec };
}
