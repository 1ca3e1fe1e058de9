import { expect, type Page } from "@playwright/test";
import type { Role } from "@/lib/auth/roles";
import { DEMO_USERS } from "@/prisma/demo-users";

export function demoUser(role: Role) {
  const user = DEMO_USERS.find((candidate) => candidate.role === role);
  if (!user) throw new Error(`No demo user with role ${role}`);
  return user;
}

export function storageStateFor(role: Role): string {
  return `e2e/.auth/${role}.json`;
}

/** Signs in through the real login form, as a person would. */
export async function signInThroughForm(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function expectSignedInAs(page: Page, role: Role) {
  await expect(page.getByTestId("current-role")).toHaveText(role);
}
