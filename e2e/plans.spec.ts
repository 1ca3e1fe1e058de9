import { expect, test } from "@playwright/test";
import { stringify } from "yaml";
import { exampleManifests } from "@/lib/releases";
import { acceptMarginalLookOr, activate, draftPlan, pageAs } from "./support/plan-ui";

const PLAN_NODES = ["node-01", "node-02", "node-03"];

test.describe.configure({ mode: "serial" });

test("release → plan → approval → prepare steps → activations → new version → restore the first bookmark", async ({ browser }) => {
  test.setTimeout(180_000);
  const operator = await pageAs(browser, "operator");

  // A release uploaded as YAML, shown with its diff against the release it replaces.
  const releaseName = `2026.11.3-r${Date.now()}`;
  await operator.goto("/releases/new");
  await operator
    .getByLabel("Or paste the manifest")
    .fill(stringify({ ...exampleManifests.successor, name: releaseName, replaces: "2026.11.2-r1" }));
  await operator.getByRole("button", { name: "Create release" }).click();
  await expect(operator.getByRole("heading", { level: 1, name: releaseName })).toBeVisible();
  await expect(operator.getByLabel("Release diff")).toContainText("2026.11.2 → 2026.11.3");

  const title = `Roll ${releaseName}`;
  const planUrl = await draftPlan(operator, { title, to: releaseName, stages: "34, 100", hold: "0" });
  await expect(operator.getByRole("button", { name: "Approve" })).toHaveCount(0);

  // A second person approves; prepare steps then run by themselves and stop at the first click.
  const approver = await pageAs(browser, "approver");
  await approver.goto(planUrl);
  await approver.getByRole("button", { name: "Approve" }).click();
  await expect(approver.getByTestId("plan-status")).toHaveText("running");
  for (const kind of ["drain", "upgrade", "doctor"]) {
    await expect(approver.getByTestId(`step-node-01-${kind}`)).toContainText("succeeded", { timeout: 30_000 });
  }
  await expect(approver.getByTestId("step-node-02-drain")).toContainText("pending");

  await activate(approver, "node-01", "restart");
  await activate(approver, "node-01", "widen");
  for (const node of ["node-02", "node-03"]) await activate(approver, node, "restart");
  for (const node of ["node-02", "node-03"]) await activate(approver, node, "widen");
  // The last wave ends with the end-of-hold look, once the canaries have 12 samples since their widen.
  await acceptMarginalLookOr(approver, approver.getByTestId("plan-status").getByText("completed"), 45_000);

  await approver.goto("/fleet");
  for (const node of PLAN_NODES) await expect(approver.getByRole("row", { name: new RegExp(node) })).toContainText("2026.11.3");
  await expect(approver.getByRole("row", { name: /node-04/ })).toContainText("2026.11.2");
  await approver.screenshot({ path: "test-results/e2e/fleet-after-rollout.png", fullPage: true });

  // One click restores the bookmark taken before the plan started.
  await approver.goto(planUrl);
  const first = approver.getByRole("listitem", { name: "before plan start" });
  await first.getByRole("button", { name: "Restore" }).click();
  const dialog = approver.getByRole("dialog");
  await expect(dialog).toContainText("node-01: core 2026.11.2, weight 100");
  await dialog.getByRole("button", { name: "Restore" }).click();
  await expect(first).toContainText("succeeded", { timeout: 60_000 });

  await approver.goto("/fleet");
  for (const node of PLAN_NODES) {
    const row = approver.getByRole("row", { name: new RegExp(node) });
    await expect(row).toContainText("2026.11.2");
    await expect(row).toContainText("100");
  }
});

test("a leaking release is caught by the canary analysis and rolls itself back", async ({ browser }) => {
  test.setTimeout(180_000);
  const operator = await pageAs(browser, "operator");
  const planUrl = await draftPlan(operator, { title: `Leaky ${Date.now()}`, to: "2026.11.4-leak", stages: "34, 100", hold: "600" });

  const approver = await pageAs(browser, "approver");
  await approver.goto(planUrl);
  await approver.getByRole("button", { name: "Approve" }).click();
  await approver.getByTestId("step-node-01-restart").getByRole("button", { name: "Activate restart" }).click({ timeout: 30_000 });
  await approver.getByRole("dialog").getByRole("button", { name: "Activate" }).click();

  // Nobody clicks anything more: the canary analysis before the widen sees memory climb (long
  // before the guardrail watch's 75 %) and restores.
  await expect(approver.getByTestId("plan-status")).toHaveText("rolled back", { timeout: 60_000 });
  await expect(approver.getByTestId("plan-status-reason")).toContainText("before plan start");
  await expect(approver.getByRole("listitem", { name: "before plan start" })).toContainText("restore by guardrails");
  await expect(approver.getByLabel("Audit events")).toContainText("analysis.completed");
  await expect(
    approver.getByRole("region", { name: "Canary analysis" }).getByRole("listitem", { name: "Before widen fail" }),
  ).toBeVisible();
  await expect(approver.getByTestId("step-node-02-drain")).toContainText("skipped");
  await approver.screenshot({ path: "test-results/e2e/leak-rolled-back.png", fullPage: true });

  await approver.goto("/fleet");
  await expect(approver.getByRole("row", { name: /node-01/ })).toContainText("2026.11.2");
});
