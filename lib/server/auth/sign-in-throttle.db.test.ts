import pg from "pg";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createUser } from "@/prisma/factories";
import { db, sqlPool } from "../db";
import { createSignInThrottle, type SignInThrottleOptions } from "./sign-in-throttle";
import { SignInRefusedError, signInWithPassword } from "./sign-in-with-password";

// The throttle's windows are counted by the library with Date.now(), stored in Postgres as epoch
// milliseconds; a fake clock steps over a 15-minute lockout without waiting for it.
const START = new Date("2026-12-01T12:00:00.000Z").getTime();
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(START);
});
afterEach(() => {
  vi.useRealTimers();
});

function later(seconds: number) {
  vi.setSystemTime(Date.now() + seconds * 1000);
}

function throttle(overrides: Partial<SignInThrottleOptions> = {}) {
  return createSignInThrottle({ pool: sqlPool(), accountLimit: 5, addressLimit: 100, windowSeconds: 900, ...overrides });
}

/** One sign-in as the login form sends it: "ok", "wrong" (null) or the refusal code. */
async function attempt(options: { email: string; password: string; address?: string; throttle: ReturnType<typeof throttle> }) {
  try {
    const user = await signInWithPassword({
      credentials: { email: options.email, password: options.password },
      address: options.address ?? "198.51.100.4",
      throttle: options.throttle,
    });
    return user ? "ok" : "wrong";
  } catch (error) {
    if (error instanceof SignInRefusedError) return error.message;
    throw error;
  }
}

async function auditOf(kind: string) {
  return db.auditEvent.findMany({ where: { kind }, orderBy: { seq: "asc" } });
}

describe("sign-in throttling", () => {
  it("locks an account after five failures: the right password is then refused, and each refusal is audited", async () => {
    const limits = throttle();
    const user = await createUser(db);
    const outcomes = [];
    for (let i = 0; i < 6; i++) outcomes.push(await attempt({ email: user.email, password: `wrong-${i}`, throttle: limits }));
    outcomes.push(await attempt({ email: user.email, password: user.password, throttle: limits }));
    expect(outcomes).toEqual(["wrong", "wrong", "wrong", "wrong", "wrong", "SignInThrottled:900", "SignInThrottled:900"]);

    expect(await auditOf("auth.signed_in")).toHaveLength(0);
    const failed = await auditOf("auth.sign_in_failed");
    expect(failed.map((event) => event.data)).toEqual(Array(5).fill({ email: user.email, address: "198.51.100.4" }));
    const throttled = await auditOf("auth.sign_in_throttled");
    expect(throttled.map((event) => event.data)).toEqual(
      Array(2).fill({ email: user.email, address: "198.51.100.4", scope: "account", retryAfterSeconds: 900 }),
    );
    // Neither the right password nor the guesses are ever written down.
    const everything = JSON.stringify(await db.auditEvent.findMany({ select: { data: true } }));
    expect(everything).not.toContain(user.password);
    expect(everything).not.toContain("wrong-");
    // The throttle's own rows hold digests, not emails or addresses.
    const keys = (await db.signInThrottle.findMany()).map((row) => row.key);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(" ")).not.toMatch(/@|198\.51/);
  });

  it("throttles an unknown email exactly like a known one: same answers, same audit", async () => {
    const limits = throttle();
    const user = await createUser(db);
    const outcomesFor = async (email: string) => {
      const outcomes = [];
      for (let i = 0; i < 7; i++) outcomes.push(await attempt({ email, password: `guess-${i}`, throttle: limits }));
      return outcomes;
    };
    const known = await outcomesFor(user.email);
    const unknown = await outcomesFor("nobody-here@example.test");
    expect(unknown).toEqual(known);
    expect(known.slice(5)).toEqual(["SignInThrottled:900", "SignInThrottled:900"]);
    const throttled = await auditOf("auth.sign_in_throttled");
    expect(throttled.map((event) => (event.data as { email: string }).email)).toEqual([
      user.email,
      user.email,
      "nobody-here@example.test",
      "nobody-here@example.test",
    ]);
  });

  it("budgets a client address across accounts, and leaves other addresses alone", async () => {
    const limits = throttle({ accountLimit: 5, addressLimit: 6 });
    const victims = await Promise.all([createUser(db), createUser(db), createUser(db)]);
    const target = await createUser(db);
    // Two guesses at each of three accounts: no account is near its limit, the address is at its.
    for (const victim of victims) {
      for (let i = 0; i < 2; i++) {
        expect(await attempt({ email: victim.email, password: "spray", address: "203.0.113.9", throttle: limits })).toBe("wrong");
      }
    }
    expect(await attempt({ email: target.email, password: target.password, address: "203.0.113.9", throttle: limits })).toBe(
      "SignInThrottled:900",
    );
    expect((await auditOf("auth.sign_in_throttled")).map((event) => event.data)).toEqual([
      { email: target.email, address: "203.0.113.9", scope: "address", retryAfterSeconds: 900 },
    ]);
    // The same person from another address signs in, and so does a sprayed account.
    expect(await attempt({ email: target.email, password: target.password, address: "198.51.100.4", throttle: limits })).toBe("ok");
    expect(await attempt({ email: victims[0].email, password: victims[0].password, address: "198.51.100.4", throttle: limits })).toBe("ok");
  });

  it("lifts a lockout when it ends, and a repeated lockout lasts twice as long", async () => {
    const limits = throttle();
    const user = await createUser(db);
    const fail = async (times: number) => {
      const outcomes = [];
      for (let i = 0; i < times; i++) outcomes.push(await attempt({ email: user.email, password: "nope", throttle: limits }));
      return outcomes;
    };
    const right = () => attempt({ email: user.email, password: user.password, throttle: limits });

    expect((await fail(6)).at(-1)).toBe("SignInThrottled:900");
    later(890);
    // Attempts during a lockout do not extend it.
    expect(await right()).toBe("SignInThrottled:10");
    later(11);
    // The lockout is over; five more failures and the sixth locks again, now for 30 minutes.
    expect(await fail(6)).toEqual(["wrong", "wrong", "wrong", "wrong", "wrong", "SignInThrottled:1800"]);
    later(901);
    expect(await right()).toBe("SignInThrottled:899");
    later(900);
    expect(await right()).toBe("ok");
  });

  it("starts an account's count afresh after a successful sign-in", async () => {
    const limits = throttle();
    const user = await createUser(db);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 4; i++) expect(await attempt({ email: user.email, password: "typo", throttle: limits })).toBe("wrong");
      expect(await attempt({ email: user.email, password: user.password, throttle: limits })).toBe("ok");
    }
    expect(await auditOf("auth.sign_in_throttled")).toHaveLength(0);
  });

  it("counts parallel guesses atomically: a burst of twelve gets five password checks", async () => {
    const limits = throttle();
    const user = await createUser(db);
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) => attempt({ email: user.email, password: `burst-${i}`, throttle: limits })),
    );
    expect(outcomes.filter((outcome) => outcome === "wrong")).toHaveLength(5);
    expect(outcomes.filter((outcome) => outcome.startsWith("SignInThrottled:"))).toHaveLength(7);
    expect(await auditOf("auth.sign_in_failed")).toHaveLength(5);
    expect(await auditOf("auth.sign_in_throttled")).toHaveLength(7);
  });

  it("shares its counters between dashboard processes through Postgres", async () => {
    const first = throttle();
    const second = createSignInThrottle({
      pool: new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2, allowExitOnIdle: true }),
      accountLimit: 5,
      addressLimit: 100,
      windowSeconds: 900,
    });
    const user = await createUser(db);
    for (let i = 0; i < 5; i++) expect(await attempt({ email: user.email, password: "x", throttle: first })).toBe("wrong");
    expect(await attempt({ email: user.email, password: user.password, throttle: second })).toBe("SignInThrottled:900");
  });

  it("uses the ROLLBOOK_SIGN_IN_* settings by default: five failures and fifteen minutes", async () => {
    process.env.NEXTAUTH_SECRET ??= "db-test-only-nextauth-secret-0123456789";
    const user = await createUser(db);
    const outcomes = [];
    for (let i = 0; i < 6; i++) {
      try {
        outcomes.push(await signInWithPassword({ credentials: { email: user.email, password: "bad" }, address: "unknown" }));
      } catch (error) {
        outcomes.push((error as Error).message);
      }
    }
    expect(outcomes).toEqual([null, null, null, null, null, "SignInThrottled:900"]);
  });

  it("answers SignInUnavailable, not the database's error text, when the throttle store is down", async () => {
    const broken = createSignInThrottle({
      pool: new pg.Pool({ connectionString: "postgresql://nobody@127.0.0.1:1/none", connectionTimeoutMillis: 2_000 }),
      accountLimit: 5,
      addressLimit: 100,
      windowSeconds: 900,
    });
    const user = await createUser(db);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await attempt({ email: user.email, password: user.password, throttle: broken })).toBe("SignInUnavailable");
    expect(errors).toHaveBeenCalledOnce();
    errors.mockRestore();
  });
});
