import { describe, expect, it } from "vitest";
import { crossSiteVerdict } from "./cross-site-verdict";

const allowedOrigins = ["https://rollbook.example.com"];
const json = { "content-type": "application/json", "content-length": "2" };

function request(method: string, headers: Record<string, string>, body?: string): Request {
  return new Request("http://127.0.0.1:3000/api/plans", { method, headers: { host: "127.0.0.1:3000", ...headers }, body });
}

function verdict(method: string, headers: Record<string, string>, body?: string) {
  return crossSiteVerdict(request(method, headers, body), { allowedOrigins });
}

describe("crossSiteVerdict", () => {
  it("lets writes from the configured origin through", () => {
    expect(verdict("POST", { origin: "https://rollbook.example.com", ...json }, "{}")).toEqual({ ok: true });
    // Origins are compared normalised: spelling out the default port makes no difference.
    expect(verdict("PUT", { origin: "https://rollbook.example.com:443", ...json }, "{}")).toEqual({ ok: true });
  });

  it("lets writes through whose Origin host is the host the request was sent to", () => {
    expect(verdict("POST", { origin: "http://127.0.0.1:3000", ...json }, "{}")).toEqual({ ok: true });
    expect(verdict("POST", { origin: "https://rollbook.internal", "x-forwarded-host": "rollbook.internal", ...json }, "{}")).toEqual({
      ok: true,
    });
  });

  it("refuses a write from another origin with 403 cross_site_refused", () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE", "post"]) {
      expect(verdict(method, { origin: "http://evil.example", ...json }, "{}")).toMatchObject({
        ok: false,
        status: 403,
        code: "cross_site_refused",
        message: expect.stringContaining("http://evil.example") as unknown,
      });
    }
  });

  it("refuses look-alikes of the allowed origin: other scheme, other port, a sibling subdomain", () => {
    for (const origin of ["http://rollbook.example.com", "https://rollbook.example.com:8443", "https://evil.rollbook.example.com"]) {
      expect(verdict("POST", { origin, ...json }, "{}")).toMatchObject({ ok: false, code: "cross_site_refused" });
    }
  });

  it("refuses Origin: null and an Origin that is not a URL", () => {
    expect(verdict("POST", { origin: "null", ...json }, "{}")).toMatchObject({ ok: false, status: 403 });
    expect(verdict("POST", { origin: "not a url", ...json }, "{}")).toMatchObject({ ok: false, status: 403 });
  });

  it("without Origin, refuses Sec-Fetch-Site cross-site and same-site, and allows same-origin", () => {
    expect(verdict("POST", { "sec-fetch-site": "cross-site", ...json }, "{}")).toMatchObject({ ok: false, code: "cross_site_refused" });
    expect(verdict("DELETE", { "sec-fetch-site": "same-site" })).toMatchObject({ ok: false, code: "cross_site_refused" });
    expect(verdict("POST", { "sec-fetch-site": "same-origin", ...json }, "{}")).toEqual({ ok: true });
    expect(verdict("POST", { "sec-fetch-site": "none", ...json }, "{}")).toEqual({ ok: true });
  });

  it("an allowed Origin wins over Sec-Fetch-Site, which only speaks when Origin is missing", () => {
    expect(verdict("POST", { origin: "https://rollbook.example.com", "sec-fetch-site": "same-site", ...json }, "{}")).toEqual({ ok: true });
    expect(verdict("POST", { origin: "http://evil.example", "sec-fetch-site": "same-origin", ...json }, "{}")).toMatchObject({
      ok: false,
    });
  });

  it("allows a client that sends neither Origin nor Sec-Fetch-Site (curl, scripts): not a browser", () => {
    expect(verdict("POST", json, "{}")).toEqual({ ok: true });
  });

  it("refuses a body that is not declared JSON with 415, even from the right origin", () => {
    const origin = "https://rollbook.example.com";
    for (const contentType of [
      "text/plain",
      "text/plain;charset=UTF-8",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
    ]) {
      expect(verdict("POST", { origin, "content-type": contentType, "content-length": "2" }, "{}")).toMatchObject({
        ok: false,
        status: 415,
        code: "unsupported_media_type",
      });
    }
    // A body without any Content-Type is refused too.
    expect(verdict("POST", { origin, "content-length": "2" }, "{}")).toMatchObject({ ok: false, status: 415 });
    expect(verdict("POST", { origin, "transfer-encoding": "chunked" }, "{}")).toMatchObject({ ok: false, status: 415 });
  });

  it("accepts JSON with parameters and an empty body without a Content-Type (approve, activate)", () => {
    const origin = "https://rollbook.example.com";
    expect(verdict("POST", { origin, "content-type": "Application/JSON; charset=utf-8", "content-length": "2" }, "{}")).toEqual({
      ok: true,
    });
    expect(verdict("POST", { origin, "content-length": "0" })).toEqual({ ok: true });
    expect(verdict("POST", { origin })).toEqual({ ok: true });
  });

  it("a cross-site text/plain write is refused as cross-site first (403, not 415)", () => {
    expect(verdict("POST", { origin: "http://evil.example", "content-type": "text/plain", "content-length": "2" }, "{}")).toMatchObject({
      status: 403,
    });
  });

  it("never refuses reads, whatever their headers", () => {
    for (const method of ["GET", "HEAD", "OPTIONS"]) {
      expect(verdict(method, { origin: "http://evil.example", "sec-fetch-site": "cross-site", "content-type": "text/plain" })).toEqual({
        ok: true,
      });
    }
  });
});
