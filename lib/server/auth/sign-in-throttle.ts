import "server-only";
import { createHash } from "node:crypto";
import type pg from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { serverEnv } from "@/lib/env";
import { sqlPool } from "../db";

export interface SignInThrottleOptions {
  pool: pg.Pool;
  /** Attempts per account (by email, known or not) within the window before it is locked. */
  accountLimit: number;
  /** Attempts per client address within the window, across accounts, before it is locked. */
  addressLimit: number;
  /** The counting window, and the length of a first lockout. */
  windowSeconds: number;
  /** Each lockout within this period doubles the next one (a day by default). */
  escalationSeconds?: number;
  /** The longest lockout however often it repeats (a day by default). */
  maxLockoutSeconds?: number;
}

export interface SignInAttempt {
  email: string;
  address: string;
}

export type SignInThrottleDecision = { throttled: false } | { throttled: true; scope: "account" | "address"; retryAfterSeconds: number };

export interface SignInThrottle {
  /**
   * Counts an attempt before its password is looked at, and says whether it may go on. Counting
   * first (one atomic upsert per key) means a burst of parallel guesses cannot all slip under the
   * limit, and a lockout refuses even the right password.
   */
  begin(attempt: SignInAttempt): Promise<SignInThrottleDecision>;
  /** A successful sign-in gives its attempt back; the account's failure count starts afresh. */
  succeeded(attempt: SignInAttempt): Promise<void>;
}

const DAY_SECONDS = 24 * 60 * 60;
// The table is created by a Prisma migration; the library must not try DDL at run time.
const TABLE = "SignInThrottle";

// Emails can be 254 characters and the key column 255; a digest also keeps addresses and emails
// out of the throttle table (the audit log is where they belong).
function digest(value: string): string {
  return createHash("sha256").update(value).digest("base64url");
}

interface Scope {
  attempts: RateLimiterPostgres;
  lockouts: RateLimiterPostgres;
  limit: number;
}

/**
 * Sign-in throttling whose counters live in Postgres, so every dashboard process sees the same
 * ones. Per scope (account, address) an attempts counter over a fixed window: the attempt past the
 * limit locks the key for `windowSeconds × 2^(lockouts in the last day − 1)`, capped. Throttled
 * attempts still count (against both scopes) but never extend a running lockout.
 */
export function createSignInThrottle(options: SignInThrottleOptions): SignInThrottle {
  const escalationSeconds = options.escalationSeconds ?? DAY_SECONDS;
  const maxLockoutSeconds = options.maxLockoutSeconds ?? DAY_SECONDS;
  const limiter = (keyPrefix: string, points: number, duration: number, clearExpired = false) =>
    new RateLimiterPostgres({
      storeClient: options.pool,
      tableName: TABLE,
      tableCreated: true,
      keyPrefix,
      points,
      duration,
      // One timer per process is enough to sweep rows that expired an hour ago from the shared table.
      clearExpiredByTimeout: clearExpired,
    });
  const account: Scope = {
    attempts: limiter("account", options.accountLimit, options.windowSeconds, true),
    lockouts: limiter("account-lockouts", Number.MAX_SAFE_INTEGER, escalationSeconds),
    limit: options.accountLimit,
  };
  const address: Scope = {
    attempts: limiter("address", options.addressLimit, options.windowSeconds),
    lockouts: limiter("address-lockouts", Number.MAX_SAFE_INTEGER, escalationSeconds),
    limit: options.addressLimit,
  };

  /** Counts one attempt for the key; null when it may go on, else the seconds until it may. */
  async function count(scope: Scope, key: string): Promise<number | null> {
    let result: RateLimiterRes;
    try {
      await scope.attempts.consume(key);
      return null;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      result = rejection;
    }
    // Only the attempt that crossed the limit locks; later ones meet the running lockout.
    if (result.consumedPoints !== scope.limit + 1) return result.msBeforeNext / 1000;
    const lockouts = await scope.lockouts.consume(key);
    const seconds = Math.min(options.windowSeconds * 2 ** (lockouts.consumedPoints - 1), maxLockoutSeconds);
    await scope.attempts.block(key, seconds);
    return seconds;
  }

  return {
    async begin(attempt) {
      const accountKey = digest(attempt.email);
      const [accountWait, addressWait] = await Promise.all([count(account, accountKey), count(address, digest(attempt.address))]);
      if (accountWait === null && addressWait === null) return { throttled: false };
      // Both may be locked; the person has to wait for the longer one.
      return (accountWait ?? 0) >= (addressWait ?? 0)
        ? { throttled: true, scope: "account", retryAfterSeconds: accountWait ?? 0 }
        : { throttled: true, scope: "address", retryAfterSeconds: addressWait ?? 0 };
    },
    async succeeded(attempt) {
      const accountKey = digest(attempt.email);
      await Promise.all([
        account.attempts.delete(accountKey),
        account.lockouts.delete(accountKey),
        address.attempts.reward(digest(attempt.address)),
      ]);
    },
  };
}

let shared: SignInThrottle | undefined;

/** The process-wide throttle, configured by the ROLLBOOK_SIGN_IN_* settings. */
export function signInThrottle(): SignInThrottle {
  const env = serverEnv();
  shared ??= createSignInThrottle({
    pool: sqlPool(),
    accountLimit: env.ROLLBOOK_SIGN_IN_ACCOUNT_LIMIT,
    addressLimit: env.ROLLBOOK_SIGN_IN_ADDRESS_LIMIT,
    windowSeconds: env.ROLLBOOK_SIGN_IN_WINDOW_SECONDS,
  });
  return shared;
}
