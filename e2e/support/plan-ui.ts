import { expect, type Browser, type Locator, type Page } from "@playwright/test";
import { storageStateFor } from "../fixtures";

/** A page signed in as `role`, in its own browser context (so two people can share one test). */
export async function pageAs(
  browser: Browser,
  role: "operator" | "approver" | "viewer",
  viewport?: { width: number; height: number },
): Promise<Page> {
  const context = await browser.newContext({ storageState: storageStateFor(role), ...(viewport ? { viewport } : {}) });
  return context.newPage();
}

/**
 * Clicks Activate on a step and confirms, checking the dialog says what will happen. A widen's
 * button stays disabled until the canary analysis allows it; the click waits for that.
 */
export async function activate(page: Page, node: string, kind: "restart" | "widen") {
  const cell = page.getByTestId(`step-${node}-${kind}`);
  const button = cell.getByRole("button", { name: `Activate ${kind}` });
  await acceptMarginalLookOr(page, button.and(page.locator(":enabled")));
  await expect(button).toBeEnabled({ timeout: 40_000 });
  await button.click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(node);
  await expect(dialog).toContainText(kind === "restart" ? "Restarts the gateway" : "Sets the LB weight");
  await dialog.getByRole("button", { name: "Activate" }).click();
  await expect(cell).toContainText("succeeded", { timeout: 30_000 });
}

/**
 * Waits until `target` shows up, or until a canary look was marginal or inconclusive and paused
 * the plan; an approver then accepts that look with a reason through the page's dialog, as one
 * does for a look that is not a failure, and waits for `target` again. Healthy releases in this
 * fleet now and then get a marginal memory look (a short window catches part of a GC sawtooth).
 */
export async function acceptMarginalLookOr(page: Page, target: Locator, timeout = 40_000) {
  const accept = page.getByRole("region", { name: "Canary analysis" }).getByRole("button", { name: "Accept analysis" });
  await expect(target.or(accept).first()).toBeVisible({ timeout });
  if (!(await accept.isVisible())) return;
  const look = await page
    .getByRole("region", { name: "Canary analysis" })
    .getByRole("listitem")
    .filter({ has: page.getByRole("button", { name: "Accept analysis" }) })
    .innerText();
  console.log(`accepting a canary look: ${look.replaceAll("\n", " ")}`);
  await accept.click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(/marginal|inconclusive/);
  await dialog.getByLabel("Why accept (kept in the audit log)").fill("e2e: a marginal look on a healthy release, accepted by the approver");
  await dialog.getByRole("button", { name: "Accept analysis" }).click();
  await expect(page.getByTestId("plan-status")).toHaveText(/running|completed/, { timeout: 15_000 });
  await expect(target).toBeVisible({ timeout });
}

/** Drafts a plan from 2026.11.2-r1 through the builder form; returns its URL. */
export async function draftPlan(page: Page, options: { title: string; to: string; stages: string; hold: string }) {
  await page.goto("/plans/new");
  await page.getByLabel("Title").fill(options.title);
  await page.getByLabel("From release").selectOption({ label: "2026.11.2-r1" });
  await page.getByLabel("To release").selectOption({ label: options.to });
  await page.getByLabel("Stages (cumulative % of nodes)").fill(options.stages);
  await page.getByLabel("Hold after each wave (s)").fill(options.hold);
  await page.getByRole("button", { name: "Create plan" }).click();
  await expect(page.getByRole("heading", { level: 1, name: options.title })).toBeVisible();
  await expect(page.getByTestId("plan-status")).toHaveText("draft");
  return page.url();
}

/**
 * A node's memory use right now, in % of its limit, read from its agent's own Prometheus
 * endpoint (unsigned, like a scraper's) at the address GET /api/nodes gives for it.
 */
export async function agentMemoryPercent(page: Page, nodeName: string): Promise<number> {
  const fleet = (await (await page.request.get("/api/nodes")).json()) as { nodes: { name: string; agentUrl: string }[] };
  const node = fleet.nodes.find((candidate) => candidate.name === nodeName);
  if (!node) throw new Error(`No node ${nodeName} in GET /api/nodes`);
  const text = await (await page.request.get(`${node.agentUrl.replace(/\/$/, "")}/metrics`)).text();
  const gauge = (name: string) => {
    const line = text.split("\n").find((candidate) => candidate.startsWith(`${name} `) || candidate.startsWith(`${name}{`));
    if (!line) throw new Error(`${nodeName}'s /metrics has no ${name}`);
    return Number(line.split(" ").at(-1));
  };
  return (100 * gauge("openclaw_memory_bytes")) / gauge("openclaw_memory_limit_bytes");
}
