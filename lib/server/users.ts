import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { AppError } from "@/lib/app-error";
import { hasRole, type Role } from "@/lib/auth/roles";
import { appendAuditEvent, recordAuditEvent } from "./audit-log";
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

// A real bcrypt hash to compare against when the email is unknown, so an unknown account costs the
// same time as a wrong password and the response time does not tell them apart.
let unknownUserHash: Promise<string> | undefined;

/**
 * Checks an email and password. Returns null for any failure without saying which part was
 * wrong, and records failed attempts (with the client address when known) so repeated guessing
 * shows up in the audit trail. Callers throttle first: see lib/server/auth/sign-in-with-password.ts.
 */
export async function authenticateWithPassword(input: unknown, context: { address?: string } = {}): Promise<SessionUser | null> {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const user = await db.user.findUnique({ where: { email } });
  unknownUserHash ??= hashPassword(randomUUID());
  const valid = user
    ? await verifyPassword(password, user.passwordHash)
    : await verifyPassword(password, await unknownUserHash).then(() => false);
  if (!user || !valid) {
    await recordAuditEvent({ kind: "auth.sign_in_failed", data: { email, ...(context.address ? { address: context.address } : {}) } });
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

export interface UserSummary {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

/** Everyone who can sign in, for the admin page. Admins only. */
export async function listUsers(options: { actor: SessionUser }): Promise<UserSummary[]> {
  if (!hasRole(options.actor.role, "admin")) throw new AppError("forbidden", "Listing users needs the admin role.");
  const users = await db.user.findMany({
    orderBy: { email: "asc" },
    select: { id: true, email: true, name: true, role: true, createdAt: true },
  });
  return users.map((user) => ({ ...user, createdAt: user.createdAt.toISOString() }));
}

/**
 * Changes someone's role, audited in the same transaction. Admins only; an admin cannot demote
 * themselves, so the last admin cannot lock everyone out by accident.
 */
export async function changeUserRole(options: { actor: SessionUser; userId: string; role: unknown }): Promise<UserSummary> {
  const { actor } = options;
  if (!hasRole(actor.role, "admin")) throw new AppError("forbidden", "Changing roles needs the admin role.");
  const role = z
    .enum(["viewer", "operator", "approver", "admin"], { message: "Choose viewer, operator, approver or admin" })
    .parse(options.role);
  if (options.userId === actor.id && role !== "admin")
    throw new AppError("conflict", "You cannot remove your own admin role; ask another admin.");
  return db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: options.userId }, select: { role: true, email: true } });
    if (!before) throw new AppError("not_found", "No such user.");
    const user = await tx.user.update({
      where: { id: options.userId },
      data: { role },
      select: { id: true, email: true, name: true, role: true, createdAt: true },
    });
    if (before.role !== role) {
      await appendAuditEvent(tx, { kind: "user.role_changed", actor, data: { user: before.email, from: before.role, to: role } });
    }
    return { ...user, createdAt: user.createdAt.toISOString() };
  });
}
