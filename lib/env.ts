import { z } from "zod";

/** A comma-separated list of origins (`https://host[:port]`), each reduced to its normalised origin. */
const originList = z
  .string()
  .default("")
  .transform((value, context) => {
    const origins: string[] = [];
    for (const entry of value.split(",").map((part) => part.trim())) {
      if (!entry) continue;
      const url = URL.canParse(entry) ? new URL(entry) : null;
      if (!url || !["http:", "https:"].includes(url.protocol) || url.pathname !== "/" || url.search || url.hash || url.username) {
        context.addIssue({ code: "custom", message: `"${entry}" is not an origin such as https://rollbook.example.com` });
        return z.NEVER;
      }
      origins.push(url.origin);
    }
    return origins;
  });

/**
 * Server environment, checked once at first use so a missing secret fails loudly at start-up
 * instead of as a confusing error inside next-auth or Prisma.
 */
const serverEnvSchema = z.object({
  DATABASE_URL: z.url({ message: "DATABASE_URL must be a postgresql:// URL" }),
  NEXTAUTH_SECRET: z.string().min(16, "NEXTAUTH_SECRET must be at least 16 characters"),
  NEXTAUTH_URL: z.url().optional(),
  // An OIDC provider is switched on by setting all three (e.g. Keycloak, Dex, Okta).
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Role given to people who first sign in through OIDC. */
  OIDC_DEFAULT_ROLE: z.enum(["viewer", "operator", "approver", "admin"]).default("viewer"),
  /**
   * Origins besides NEXTAUTH_URL's from which browsers may send writes to the JSON API, for a proxy
   * that reaches the dashboard under another name (lib/security/cross-site-verdict.ts).
   */
  ROLLBOOK_ALLOWED_ORIGINS: originList,
  /**
   * How many reverse proxies in front of the dashboard append to X-Forwarded-For. 0 (the default):
   * none, the header is the client's own claim and is ignored for sign-in throttling.
   */
  ROLLBOOK_TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** Sign-in throttle: failed attempts per account, and per client address, within the window. */
  ROLLBOOK_SIGN_IN_ACCOUNT_LIMIT: z.coerce.number().int().min(1).default(5),
  ROLLBOOK_SIGN_IN_ADDRESS_LIMIT: z.coerce.number().int().min(1).default(20),
  /** The counting window and the first lockout, in seconds (15 minutes); each further lockout within a day doubles. */
  ROLLBOOK_SIGN_IN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
});

export type ServerEnv = z.infer<typeof serverEnvSchema>;

let cached: ServerEnv | undefined;

export function serverEnv(): ServerEnv {
  if (cached) return cached;
  const parsed = serverEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`).join("\n");
    throw new Error(`Invalid server environment:\n${problems}`);
  }
  cached = parsed.data;
  return cached;
}
