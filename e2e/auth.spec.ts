import { expect, test } from "@playwright/test";
import { demoUser, expectSignedInAs, signInThroughForm } from "./fixtures";

test.describe("signing in", () => {
  test("a wrong password shows a clear message and creates no session", async ({ page }) => {
    const user = demoUser("operator");
    await signInThroughForm(page, user.email, "definitely-wrong");
    await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
    await expect(page).toHaveURL(/\/login/);
    await page.goto("/fleet");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Ffleet/);
    const response = await page.request.get("/api/nodes");
    expect(response.status()).toBe(401);
  });

  test("the right password opens the fleet, and signing out ends the session", async ({ page }) => {
    const user = demoUser("viewer");
    await signInThroughForm(page, user.email, user.password);
    await expectSignedInAs(page, "viewer");
    await expect(page.getByRole("heading", { name: "Fleet" })).toBeVisible();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto("/fleet");
    await expect(page).toHaveURL(/\/login/);
  });

  test("after sign-in a deep link returns to the page that was asked for", async ({ page }) => {
    const user = demoUser("viewer");
    await page.goto("/timeline");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Ftimeline/);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Timeline" })).toBeVisible();
  });
});
