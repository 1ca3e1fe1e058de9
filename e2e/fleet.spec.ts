import { expect, test } from "@playwright/test";
import { storageStateFor } from "./fixtures";

test.describe("fleet list", () => {
  test.use({ storageState: storageStateFor("viewer") });

  test("shows the seeded nodes from Postgres with role, region, version and weight", async ({ page }) => {
    await page.goto("/fleet");
    const table = page.getByRole("table");
    await expect(table.getByRole("row", { name: /node-01/ })).toContainText("canary");
    await expect(table.getByRole("row", { name: /node-01/ })).toContainText("2026.11.2");
    await expect(table.getByRole("row", { name: /node-04/ })).toContainText("witness");
    await expect(table.getByRole("row", { name: /node-03/ })).toContainText("ap-southeast-2");
    await expect(page.getByRole("figure", { name: "Nodes per core version" }).locator(".recharts-bar-rectangle").first()).toBeVisible();
  });

  test("filters by role and region through the URL, with an empty state when nothing matches", async ({ page }) => {
    await page.goto("/fleet");
    await page.getByLabel("Role").selectOption("canary");
    await expect(page).toHaveURL(/role=canary/);
    await expect(page.getByRole("table").getByRole("row")).toHaveCount(2);
    await page.getByLabel("Region").selectOption("us-east-1");
    await expect(page.getByRole("heading", { name: "No node matches these filters" })).toBeVisible();
  });

  test("navigation reaches every section of the shell", async ({ page }) => {
    await page.goto("/fleet");
    for (const section of ["Releases", "Plans", "Timeline", "Fleet"]) {
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: section }).click();
      await expect(page.getByRole("heading", { level: 1, name: section })).toBeVisible();
    }
  });

  test("an unknown page shows the not-found page", async ({ page }) => {
    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });
});
