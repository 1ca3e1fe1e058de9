import { readFile } from "node:fs/promises";
import { expect, test, type Download, type Page } from "@playwright/test";
import { verifyIncidentBundle } from "@/lib/exports";
import { storageStateFor } from "./fixtures";

async function downloadText(page: Page, click: () => Promise<void>): Promise<{ download: Download; text: string }> {
  const [download] = await Promise.all([page.waitForEvent("download"), click()]);
  return { download, text: await readFile(await download.path(), "utf8") };
}

test.describe("timelines and incident-review exports", () => {
  test.use({ storageState: storageStateFor("viewer") });

  test("a viewer reads a plan's timeline and downloads all three exports from it", async ({ page }) => {
    await page.goto("/plans");
    await page
      .getByRole("link", { name: /Roll 2026\.11\.3/ })
      .first()
      .click();
    await expect(page.getByTestId("plan-status")).toBeVisible();
    // The plan's own Timeline link, not the navigation's.
    await page.getByRole("main").getByRole("link", { name: "Timeline", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: /^Timeline: / })).toBeVisible();
    const gantt = page.getByRole("figure", { name: "Plan timeline" });
    await expect(gantt.getByRole("img").first()).toBeVisible();
    await expect(gantt.locator('[data-marker="approval"]').first()).toBeAttached();
    await expect(gantt.locator('[data-marker="rollback"]').first()).toBeAttached();
    await page.getByLabel("Kind").selectOption("step");
    await expect(page.getByLabel("Audit events")).toContainText("step.activated");
    await expect(page.getByLabel("Audit events")).not.toContainText("plan.created");
    await page.screenshot({ path: "test-results/e2e/plan-timeline.png", fullPage: true });

    const exports = page.getByRole("group", { name: "Export incident review" });
    const markdown = await downloadText(page, () => exports.getByRole("link", { name: "Postmortem (Markdown)" }).click());
    expect(markdown.download.suggestedFilename()).toMatch(/\.md$/);
    expect(markdown.text).toMatch(/^# /);
    expect(markdown.text).toContain("approver@rollbook.local");

    const bundle = await downloadText(page, () => exports.getByRole("link", { name: "Bundle (JSON)" }).click());
    const verification = await verifyIncidentBundle(JSON.parse(bundle.text));
    expect(verification.ok).toBe(true);

    const csv = await downloadText(page, () => exports.getByRole("link", { name: "Events (CSV)" }).click());
    expect(csv.text.replace(/^\uFEFF/, "").split("\r\n")[0]).toBe("seq,at,kind,actor,node,plan,summary,data,prev_hash,hash");
    expect(csv.text).toContain("step.activated");
  });

  test("the fleet-wide timeline exports a time window", async ({ page }) => {
    await page.goto("/timeline");
    const form = page.getByRole("form", { name: "Export a time window" });
    const csv = await downloadText(page, () => form.getByRole("button", { name: "Events (CSV)" }).click());
    expect(csv.text).toContain("auth.signed_in");
  });

  test("without a session, exports and timelines give nothing", async ({ browser }) => {
    // An empty storage state: the suite's default would otherwise sign this context in.
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const response = await context.request.get("/api/timeline/export?format=csv&from=2020-01-01T00:00:00Z&to=2100-01-01T00:00:00Z", {
      maxRedirects: 0,
    });
    expect(response.status()).toBe(401);
    expect(await response.text()).not.toContain("auth.signed_in");
    const page = await context.newPage();
    await page.goto("/timeline");
    await expect(page).toHaveURL(/\/login/);
    await context.close();
  });
});
