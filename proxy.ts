import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { secureCookies } from "@/lib/auth/secure-cookies";

/**
 * An early, optimistic gate: API calls without a session get 401 JSON (never an HTML redirect), and
 * pages send people to sign in. Every page, handler and action still checks the session and role
 * itself (lib/server/session.ts); this only saves a round trip.
 */
export async function proxy(request: NextRequest) {
  // The same Secure-cookie rule as lib/auth/auth-options.ts, or the cookie would be looked up by the wrong name.
  const token = await getToken({
    req: request,
    secret: process.env.NEXTAUTH_SECRET,
    secureCookie: secureCookies(process.env.NEXTAUTH_URL),
  });
  if (token) return NextResponse.next();
  if (request.nextUrl.pathname.startsWith("/api/")) {
    return NextResponse.json({ error: { code: "unauthenticated", message: "Sign in first." } }, { status: 401 });
  }
  const login = new URL("/login", request.url);
  login.searchParams.set("callbackUrl", request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.redirect(login);
}

export const config = {
  // Everything except sign-in, next-auth's own endpoints, the 403 page and static assets.
  matcher: ["/((?!login|forbidden|api/auth|_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
