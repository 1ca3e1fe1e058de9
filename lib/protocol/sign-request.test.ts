import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { generateAgentSecret } from "./generate-agent-secret";
import { agentSecretSchema } from "./agent-secret-schema";
import { signRequest } from "./sign-request";
import { verifyRequest } from "./verify-request";

const secret = generateAgentSecret();
const webhook = new Webhook(secret);

function verify(headers: Record<string, string>, overrides: Partial<{ method: string; pathWithQuery: string; body: string }> = {}) {
  return verifyRequest({ webhook, method: "POST", pathWithQuery: "/v1/actions/drain", body: "{}", headers, ...overrides });
}

describe("signRequest / verifyRequest", () => {
  it("generates strong, valid, distinct secrets", () => {
    expect(agentSecretSchema.parse(secret)).toBe(secret);
    expect(atob(secret.slice("whsec_".length))).toHaveLength(32);
    expect(generateAgentSecret()).not.toBe(secret);
    expect(agentSecretSchema.safeParse("whsec_short").success).toBe(false);
  });

  it("round-trips", () => {
    const headers = signRequest({ secret, method: "POST", pathWithQuery: "/v1/actions/drain", body: "{}", id: "msg_1" });
    expect(verify({ ...headers })).toMatchObject({ ok: true, id: "msg_1" });
  });

  it("binds method, path with query, and body", () => {
    const headers = { ...signRequest({ secret, method: "POST", pathWithQuery: "/v1/actions/drain", body: "{}" }) };
    expect(verify(headers, { method: "PUT" })).toMatchObject({ ok: false, code: "bad_signature" });
    expect(verify(headers, { pathWithQuery: "/v1/actions/undrain" })).toMatchObject({ ok: false, code: "bad_signature" });
    expect(verify(headers, { pathWithQuery: "/v1/actions/drain?x=1" })).toMatchObject({ ok: false, code: "bad_signature" });
    expect(verify(headers, { body: '{"reason":"x"}' })).toMatchObject({ ok: false, code: "bad_signature" });
  });

  it("is a Standard Webhooks signature over `${METHOD} ${path}\\n${body}`", () => {
    const headers = signRequest({ secret, method: "post", pathWithQuery: "/v1/x", body: "B", id: "msg_2" });
    expect(() => webhook.verify("POST /v1/x\nB", headers, { jsonParse: false })).not.toThrow();
  });

  it("distinguishes stale, missing and malformed headers", () => {
    const old = signRequest({
      secret,
      method: "POST",
      pathWithQuery: "/v1/actions/drain",
      body: "{}",
      timestamp: new Date(Date.now() - 301_000),
    });
    expect(verify({ ...old })).toMatchObject({ ok: false, code: "stale_timestamp" });
    expect(verify({})).toMatchObject({ ok: false, code: "missing_signature" });
    const good = signRequest({ secret, method: "POST", pathWithQuery: "/v1/actions/drain", body: "{}" });
    expect(verify({ ...good, "webhook-timestamp": "12e3" })).toMatchObject({ ok: false, code: "bad_signature" });
    expect(verify({ ...good, "webhook-id": "id with spaces" })).toMatchObject({ ok: false, code: "bad_signature" });
  });
});
