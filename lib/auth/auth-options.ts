import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { serverEnv } from "@/lib/env";
import { recordAuditEvent } from "@/lib/server/audit-log";
import { signInWithPassword } from "@/lib/server/auth/sign-in-with-password";
import { ensureOidcUser } from "@/lib/server/users";
import { clientAddress } from "./client-address";
import { secureCookies } from "./secure-cookies";

interface OidcProfile {
  sub: string;
  email?: string;
  name?: string;
}

/** An OIDC provider (Keycloak, Dex, Okta, …) when OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are set. */
function oidcProvider(): OAuthConfig<OidcProfile> | null {
  const env = serverEnv();
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET) return null;
  return {
    id: "oidc",
    name: "Single sign-on",
    type: "oauth",
    wellKnown: `${env.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state"],
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    profile: (profile) => ({ id: profile.sub, email: profile.email ?? "", name: profile.name ?? profile.email ?? profile.sub }),
  };
}

export function buildAuthOptions(): NextAuthOptions {
  const oidc = oidcProvider();
  const env = serverEnv();
  return {
    secret: env.NEXTAUTH_SECRET,
    // Secure cookies exactly when served over https (NEXTAUTH_URL), as next-auth would default to;
    // explicit so the choice is visible and tested. proxy.ts reads the cookie under the same rule.
    useSecureCookies: secureCookies(env.NEXTAUTH_URL),
    // JWT sessions keep sign-in independent of a session table; the role is re-read from the
    // database on every request (lib/server/session.ts), so a demotion applies at once.
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        // Throttled per account and per client address (lib/server/auth/sign-in-throttle.ts).
        authorize: (credentials, request) =>
          signInWithPassword({ credentials, address: clientAddress(request.headers, env.ROLLBOOK_TRUST_PROXY) }),
      }),
      ...(oidc ? [oidc] : []),
    ],
    callbacks: {
      async signIn({ user, account }) {
        if (account?.provider !== "oidc") return true;
        if (!user.email) return false;
        const local = await ensureOidcUser({
          email: user.email,
          name: user.name ?? user.email,
          defaultRole: serverEnv().OIDC_DEFAULT_ROLE,
        });
        user.id = local.id;
        await recordAuditEvent({ kind: "auth.signed_in", actor: { id: local.id, email: local.email }, data: { method: "oidc" } });
        return true;
      },
      jwt({ token, user }) {
        if (user) token.userId = user.id;
        return token;
      },
      session({ session, token }) {
        // Only the id travels in the session; role and name are read fresh on the server.
        return { ...session, user: { ...session.user, id: token.userId ?? "" } };
      },
    },
  };
}

let cachedOptions: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  cachedOptions ??= buildAuthOptions();
  return cachedOptions;
}
