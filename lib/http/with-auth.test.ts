import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// The env module caches what it read, so each test imports withAuth afresh under its settings.
async function load(env: Record<string, string>) {
  vi.resetModules();
  vi.stubEnv("DATABASE_URL", "postgresql://unit@127.0.0.1:1/none");
  vi.stubEnv("NEXTAUTH_SECRET", "unit-test-only-secret-0123456789");
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  return import("./with-auth");
}

function post(headers: Record<string, string>, body = "{}") {
  return new Request("http://127.0.0.1:3000/api/plans", {
    method: "POST",
    headers: { host: "127.0.0.1:3000", "content-length": String(body.length), ...headers },
    body,
  });
}

const handler = vi.fn(() => Promise.resolve(new Response("ran")));
beforeEach(() => handler.mockClear());
afterEach(() => vi.unstubAllEnvs());

describe("withAuth's cross-site gate", () => {
  it("refuses a cross-site write with 403 cross_site_refused before the session or the handler run", async () => {
    const { withAuth } = await load({ NEXTAUTH_URL: "https://rollbook.example.com" });
    const route = withAuth(handler, { role: "operator" });
    const response = await route(post({ origin: "http://evil.example", "content-type": "application/json" }), {
      params: Promise.resolve({}),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      error: { code: "cross_site_refused", message: "Writes from http://evil.example are refused: it is not this dashboard's origin." },
    });
    expect(handler).not.toHaveBeenCalled();
  });

  it("refuses a same-origin write whose body is text/plain with 415", async () => {
    const { withAuth } = await load({ NEXTAUTH_URL: "https://rollbook.example.com" });
    const route = withAuth(handler, { role: "operator" });
    const response = await route(post({ origin: "https://rollbook.example.com", "content-type": "text/plain" }), {
      params: Promise.resolve({}),
    });
    expect(response.status).toBe(415);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unsupported_media_type");
    expect(handler).not.toHaveBeenCalled();
  });

  it("lets through writes from NEXTAUTH_URL, from ROLLBOOK_ALLOWED_ORIGINS and from the addressed host", async () => {
    const { refuseCrossSiteWrite } = await load({
      NEXTAUTH_URL: "https://rollbook.example.com/",
      ROLLBOOK_ALLOWED_ORIGINS: "https://rollbook.proxy.example, http://10.1.2.3:8080",
    });
    for (const origin of [
      "https://rollbook.example.com",
      "https://rollbook.proxy.example",
      "http://10.1.2.3:8080",
      "http://127.0.0.1:3000",
    ]) {
      expect(refuseCrossSiteWrite(post({ origin, "content-type": "application/json" }))).toBeNull();
    }
    expect(refuseCrossSiteWrite(post({ origin: "https://rollbook.proxy.example.evil", "content-type": "application/json" }))?.status).toBe(
      403,
    );
  });

  it("rejects a malformed ROLLBOOK_ALLOWED_ORIGINS at start-up instead of guessing", async () => {
    const { refuseCrossSiteWrite } = await load({ ROLLBOOK_ALLOWED_ORIGINS: "https://ok.example, rollbook.example.com/path" });
    expect(() => refuseCrossSiteWrite(post({ origin: "https://ok.example", "content-type": "application/json" }))).toThrow(
      /ROLLBOOK_ALLOWED_ORIGINS: "rollbook.example.com\/path" is not an origin/,
    );
  });
});
