import "server-only";
import { z } from "zod";
import { verifyPassword } from "@/lib/auth/password";
import type { Role } from "@/lib/auth/roles";
import { recordAuditEvent } from "./audit-log";
import { db } from "./db";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export const credentialsSchema = z.object({
  email: z
    .email("Enter a valid email address")
    .max(254)
    .transform((email) => email.toLowerCase()),
  password: z.string().min(1, "Enter your password").max(200),
});

/**
 * Checks an email and password. Returns null for any failure without saying which part was
 * wrong, and records failed attempts so repeated guessing shows up in the audit trail.
 */
export async function authenticateWithPassword(input: unknown): Promise<SessionUser | null> {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const user = await db.user.findUnique({ where: { email } });
  const valid = user ? await verifyPassword(password, user.passwordHash) : false;
  if (!user || !valid) {
    await recordAuditEvent({ kind: "auth.sign_in_failed", data: { email } });
    return null;
  }
  await recordAuditEvent({ kind: "auth.signed_in", actor: { id: user.id, email: user.email }, data: { method: "password" } });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/** The current role of a user, read fresh so a demotion takes effect on the next request. */
export async function findSessionUser(userId: string): Promise<SessionUser | null> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true, role: true } });
  return user;
}

/** The local account behind an OIDC identity, created with the default role on first sign-in. */
export async function ensureOidcUser(options: { email: string; name: string; defaultRole: Role }): Promise<SessionUser> {
  const email = options.email.toLowerCase();
  return db.user.upsert({
    where: { email },
    // No usable password: "!" never matches a bcrypt hash.
    create: { email, name: options.name, role: options.defaultRole, passwordHash: "!" },
    update: {},
    select: { id: true, email: true, name: true, role: true },
  });
}
