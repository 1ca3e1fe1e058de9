import { describe, expect, it } from "vitest";
import { SIGN_IN_UNAVAILABLE, signInErrorMessage, signInThrottledCode } from "./sign-in-error-message";

describe("signInErrorMessage", () => {
  it("says nothing when there is no error", () => {
    expect(signInErrorMessage(undefined)).toBeUndefined();
    expect(signInErrorMessage(null)).toBeUndefined();
    expect(signInErrorMessage("")).toBeUndefined();
  });

  it("keeps one message for a wrong email and a wrong password", () => {
    expect(signInErrorMessage("CredentialsSignin")).toBe("Wrong email or password.");
  });

  it("turns a throttled code into a wait in whole minutes, rounded up", () => {
    expect(signInThrottledCode(900)).toBe("SignInThrottled:900");
    expect(signInErrorMessage(signInThrottledCode(900))).toBe("Too many failed sign-ins. Try again in 15 minutes.");
    expect(signInErrorMessage(signInThrottledCode(61))).toBe("Too many failed sign-ins. Try again in 2 minutes.");
    expect(signInErrorMessage(signInThrottledCode(0.2))).toBe("Too many failed sign-ins. Try again in 1 minute.");
  });

  it("has a plain message for an outage and a generic one for anything else (OIDC errors)", () => {
    expect(signInErrorMessage(SIGN_IN_UNAVAILABLE)).toBe("Sign-in is unavailable right now. Try again in a moment.");
    expect(signInErrorMessage("OAuthCallback")).toBe("Sign-in failed. Try again.");
    expect(signInErrorMessage("SignInThrottled:soon")).toBe("Sign-in failed. Try again.");
  });
});
