/**
 * next-auth passes an `authorize()` error to the browser only as its message, in the `error`
 * query parameter of the sign-in result. So the server throws short codes and the form turns them
 * into words here. None of the words say whether the account exists: an unknown email is
 * throttled exactly like a known one.
 */
export const SIGN_IN_THROTTLED = "SignInThrottled";
export const SIGN_IN_UNAVAILABLE = "SignInUnavailable";

/** The code for a throttled attempt, carrying how long until the next one is looked at. */
export function signInThrottledCode(retryAfterSeconds: number): string {
  return `${SIGN_IN_THROTTLED}:${Math.max(1, Math.ceil(retryAfterSeconds))}`;
}

export function signInErrorMessage(error: string | null | undefined): string | undefined {
  if (!error) return undefined;
  if (error === "CredentialsSignin") return "Wrong email or password.";
  const throttled = new RegExp(`^${SIGN_IN_THROTTLED}:(\\d+)$`).exec(error);
  if (throttled?.[1]) {
    const minutes = Math.max(1, Math.ceil(Number(throttled[1]) / 60));
    return `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
  }
  if (error === SIGN_IN_UNAVAILABLE) return "Sign-in is unavailable right now. Try again in a moment.";
  return "Sign-in failed. Try again.";
}
