import { describe, expect, it } from "vitest";
import { clientAddress, UNKNOWN_CLIENT_ADDRESS } from "./client-address";

describe("clientAddress", () => {
  it("ignores X-Forwarded-For unless a proxy is trusted: the client could have written it", () => {
    expect(clientAddress({ "x-forwarded-for": "203.0.113.7" }, 0)).toBe(UNKNOWN_CLIENT_ADDRESS);
    expect(clientAddress({}, 0)).toBe(UNKNOWN_CLIENT_ADDRESS);
    expect(clientAddress(undefined, 0)).toBe(UNKNOWN_CLIENT_ADDRESS);
  });

  it("with one trusted proxy takes the rightmost entry, never a forged one to its left", () => {
    expect(clientAddress({ "x-forwarded-for": "203.0.113.7" }, 1)).toBe("203.0.113.7");
    expect(clientAddress({ "x-forwarded-for": "10.9.9.9, 198.51.100.4" }, 1)).toBe("198.51.100.4");
  });

  it("with two trusted proxies takes the second entry from the right", () => {
    expect(clientAddress({ "x-forwarded-for": "1.1.1.1, 198.51.100.4, 10.0.0.2" }, 2)).toBe("198.51.100.4");
  });

  it("treats a header shorter than the proxy chain (a request that went around them) as unknown", () => {
    expect(clientAddress({ "x-forwarded-for": "198.51.100.4" }, 2)).toBe(UNKNOWN_CLIENT_ADDRESS);
    expect(clientAddress({}, 1)).toBe(UNKNOWN_CLIENT_ADDRESS);
  });

  it("normalises ports, brackets, IPv6 spelling and IPv4-mapped addresses", () => {
    expect(clientAddress({ "x-forwarded-for": "198.51.100.4:51234" }, 1)).toBe("198.51.100.4");
    expect(clientAddress({ "x-forwarded-for": "[2001:DB8:0:0::1]:443" }, 1)).toBe("2001:db8::1");
    expect(clientAddress({ "x-forwarded-for": "2001:db8:0000::1" }, 1)).toBe("2001:db8::1");
    expect(clientAddress({ "x-forwarded-for": "::ffff:198.51.100.4" }, 1)).toBe("198.51.100.4");
  });

  it("refuses an entry that is not an address", () => {
    expect(clientAddress({ "x-forwarded-for": "unknown" }, 1)).toBe(UNKNOWN_CLIENT_ADDRESS);
    expect(clientAddress({ "x-forwarded-for": "198.51.100.4, evil.example" }, 1)).toBe(UNKNOWN_CLIENT_ADDRESS);
    expect(clientAddress({ "x-forwarded-for": 42 }, 1)).toBe(UNKNOWN_CLIENT_ADDRESS);
  });
});
