import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { storageStateFor } from "./fixtures";

test.describe("Doctor readiness and charts", () => {
  test.use({ storageState: storageStateFor("operator") });

  test("the fleet shows earned green badges, and an unreachable node grey with its reason", async ({ page }) => {
    const name = `gw-gone-${Date.now()}`;
    const created = await page.request.post("/api/nodes", {
      data: {
        name,
        agentUrl: "http://127.0.0.1:9",
        agentSecret: `whsec_${randomBytes(24).toString("base64")}`,
        role: "witness",
        region: "eu-west-1",
      },
    });
    expect(created.status()).toBe(201);

    await expect(async () => {
      await page.goto("/fleet");
      await expect(page.getByRole("row", { name: /node-02/ }).locator("[data-readiness]")).toHaveAttribute("data-readiness", "green", {
        timeout: 1_000,
      });
      await expect(page.getByRole("row", { name: new RegExp(name) }).locator("[data-readiness]")).toHaveAttribute(
        "data-readiness",
        "grey",
        { timeout: 1_000 },
      );
      // Grey "unknown" until the collector has tried it, then grey "unreachable" with the reason.
      await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("unreachable", { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });

    await page.getByLabel("Status").selectOption("grey");
    await expect(page.getByRole("row", { name: new RegExp(name) })).toBeVisible();
    await expect(page.getByRole("row", { name: /node-02/ })).toHaveCount(0);
    await page.screenshot({ path: "test-results/e2e/fleet-readiness.png", fullPage: true });
  });

  test("a node page shows doctor checks, the readiness JSON and rendered charts", async ({ page }) => {
    await page.goto("/fleet");
    await page.getByRole("link", { name: "node-02" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "node-02" })).toBeVisible();
    await expect(page.getByRole("heading", { name: /Doctor checks/ })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Merged readiness JSON" })).toBeVisible();
    await expect(page.locator("pre")).toContainText("ready_probe_sha256");
    // The collector polls every 2 s in the e2e server: wait for a line, not just axes.
    await expect(async () => {
      await page.reload();
      await expect(page.getByRole("figure", { name: "Memory (GB)" }).locator(".recharts-line path").first()).toBeVisible({
        timeout: 2_000,
      });
    }).toPass({ timeout: 30_000 });
    await expect(page.getByRole("figure", { name: "p95 latency (ms)" }).locator(".recharts-reference-line")).toHaveCount(1);
    await page.getByRole("link", { name: "6h" }).click();
    await expect(page).toHaveURL(/range=6h/);
    await page.screenshot({ path: "test-results/e2e/node-page.png", fullPage: true });
  });
});
