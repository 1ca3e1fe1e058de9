import { afterEach, describe, expect, it, vi } from "vitest";
import { secureCookies } from "./secure-cookies";

/** Builds the options afresh under the given NEXTAUTH_URL: the env module caches what it read. */
async function optionsUnder(nextAuthUrl: string | undefined) {
  vi.resetModules();
  vi.stubEnv("DATABASE_URL", "postgresql://unit@127.0.0.1:1/none");
  vi.stubEnv("NEXTAUTH_SECRET", "unit-test-only-secret-0123456789");
  vi.stubEnv("NEXTAUTH_URL", nextAuthUrl);
  const { buildAuthOptions } = await import("./auth-options");
  return buildAuthOptions();
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("session cookie security", () => {
  it("marks cookies Secure exactly when the dashboard is served over https", () => {
    expect(secureCookies("https://rollbook.example.com")).toBe(true);
    expect(secureCookies("http://localhost:3000")).toBe(false);
    expect(secureCookies(undefined)).toBe(false);
  });

  it("says so explicitly in the next-auth options instead of leaving it to next-auth's default", async () => {
    expect((await optionsUnder("https://rollbook.example.com")).useSecureCookies).toBe(true);
    expect((await optionsUnder("http://127.0.0.1:3100")).useSecureCookies).toBe(false);
    expect((await optionsUnder(undefined)).useSecureCookies).toBe(false);
  });
});
