import "server-only";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { authOptions } from "@/lib/auth/auth-options";
import { hasRole, type Role } from "@/lib/auth/roles";
import { AppError } from "@/lib/app-error";
import { findSessionUser, type SessionUser } from "./users";

/** The signed-in user with their current role, or null. */
export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions());
  const userId = (session?.user as { id?: string } | undefined)?.id;
  if (!userId) return null;
  return findSessionUser(userId);
}

/** For pages: sends people without a session to sign in, and without the role to /forbidden. */
export async function requirePageUser(role: Role = "viewer"): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  if (!hasRole(user.role, role)) redirect(`/forbidden?need=${role}`);
  return user;
}

/** For route handlers and server actions: throws AppError (401/403) instead of redirecting. */
export async function requireUserOrThrow(role: Role = "viewer"): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) throw new AppError("unauthenticated", "Sign in first.");
  if (!hasRole(user.role, role)) throw new AppError("forbidden", `This needs the ${role} role; you are ${user.role}.`);
  return user;
}
