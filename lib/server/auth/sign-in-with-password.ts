import "server-only";
import { SIGN_IN_UNAVAILABLE, signInThrottledCode } from "@/lib/auth/sign-in-error-message";
import { recordAuditEvent } from "../audit-log";
import { authenticateWithPassword, type SessionUser } from "../users";
import { signInThrottle, type SignInThrottle } from "./sign-in-throttle";

/**
 * A sign-in refused for a reason the person should see. Its message is a short code that next-auth
 * hands to the browser as the sign-in `error`; `signInErrorMessage` turns it into words.
 */
export class SignInRefusedError extends Error {
  constructor(code: string, options?: { cause?: unknown }) {
    super(code, options);
    this.name = "SignInRefusedError";
  }
}

/** The email as typed, for throttling and the audit trail: malformed input is throttled too. */
function attemptedEmail(credentials: unknown): string {
  const email = (credentials as { email?: unknown } | null | undefined)?.email;
  return typeof email === "string" ? email.trim().toLowerCase().slice(0, 254) : "";
}

/**
 * next-auth's credentials `authorize`: throttles by account and by client address before the
 * password is looked at, then checks it. Returns null for a wrong email or password (next-auth's
 * CredentialsSignin), throws SignInRefusedError when throttled. The email's existence never changes
 * the answer: unknown emails are counted and locked exactly like known ones.
 */
export async function signInWithPassword(options: {
  credentials: unknown;
  address: string;
  throttle?: SignInThrottle;
}): Promise<SessionUser | null> {
  const attempt = { email: attemptedEmail(options.credentials), address: options.address };
  try {
    const throttle = options.throttle ?? signInThrottle();
    const decision = await throttle.begin(attempt);
    if (decision.throttled) {
      const retryAfterSeconds = Math.ceil(decision.retryAfterSeconds);
      await recordAuditEvent({
        kind: "auth.sign_in_throttled",
        data: { email: attempt.email, address: attempt.address, scope: decision.scope, retryAfterSeconds },
      });
      throw new SignInRefusedError(signInThrottledCode(retryAfterSeconds));
    }
    const user = await authenticateWithPassword(options.credentials, { address: attempt.address });
    if (user) await throttle.succeeded(attempt);
    return user;
  } catch (error) {
    if (error instanceof SignInRefusedError) throw error;
    // next-auth would show any other error's message to the browser; keep it in the log instead.
    console.error("Sign-in failed unexpectedly", error);
    throw new SignInRefusedError(SIGN_IN_UNAVAILABLE, { cause: error });
  }
}
