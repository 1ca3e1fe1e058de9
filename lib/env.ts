import { z } from "zod";

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
