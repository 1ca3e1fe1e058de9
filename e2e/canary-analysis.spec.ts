import { expect, test } from "@playwright/test";
import type { PlanLiveDetail } from "@/lib/plans/plan-detail-view";
import { activate, agentMemoryPercent, draftPlan, pageAs } from "./support/plan-ui";

// The canary judge through the plan page, as an approver meets it (docs/analysis.md, "On the plan
// page"). The e2e fleet runs at time scale 120 (e2e/support/e2e-fleet-clock.ts): the leaky
// release climbs from 23 % to 50 % of its memory limit in ~46 s, to 75 % in ~89 s.
const DESKTOP = { width: 1440, height: 900 };

test.describe.configure({ mode: "serial" });

async function planDetail(page: import("@playwright/test").Page, planUrl: string): Promise<PlanLiveDetail> {
  const id = new URL(planUrl).pathname.split("/").at(-1)!;
  return ((await (await page.request.get(`/api/plans/${id}`)).json()) as { plan: PlanLiveDetail }).plan;
}

// The healthy canary goes first, on a fleet nobody has touched yet: each node is judged against its
// own history over the half hour (fleet time, 15 s here) before the plan started, and right after
// the leak drill's rollback that history would be the drill's.
test("a healthy canary's widen shows the judge's pass and is enabled", async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const operator = await pageAs(browser, "operator");
  const planUrl = await draftPlan(operator, { title: `Healthy canary ${Date.now()}`, to: "2026.11.3-r1", stages: "34, 100", hold: "600" });
  const approver = await pageAs(browser, "approver", DESKTOP);
  await approver.goto(planUrl);
  await approver.getByRole("button", { name: "Approve" }).click();
  await activate(approver, "node-01", "restart");

  const widen = approver.getByTestId("step-node-01-widen");
  await expect(widen.getByRole("button", { name: "Activate widen" })).toBeEnabled({ timeout: 40_000 });
  await expect(widen.getByRole("status")).toContainText(/Canary analysis: pass \(score \d+\)/);
  await expect(
    approver.getByRole("region", { name: "Canary analysis" }).getByRole("listitem", { name: "Before widen pass" }),
  ).toBeVisible();
  await approver.screenshot({ path: testInfo.outputPath("healthy-widen-pass.png") });

  // Put node-01 back for the specs after this one: abort, then restore the plan's start bookmark.
  await approver.getByRole("button", { name: "Abort" }).click();
  await approver.getByRole("dialog").getByRole("button", { name: "Abort plan" }).click();
  await expect(approver.getByTestId("plan-status")).toHaveText("aborted");
  const first = approver.getByRole("listitem", { name: "before plan start" });
  await first.getByRole("button", { name: "Restore" }).click();
  await approver.getByRole("dialog").getByRole("button", { name: "Restore" }).click();
  await expect(first).toContainText("succeeded", { timeout: 60_000 });
});

test("leak drill: the widen is held back before memory reaches 50 %, the judge rolls the plan back, the postmortem names the time to detect", async ({
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  const operator = await pageAs(browser, "operator");
  const planUrl = await draftPlan(operator, { title: `Leak drill ${Date.now()}`, to: "2026.11.4-leak", stages: "34, 100", hold: "600" });

  // Author ≠ approver: a second person approves and clicks.
  const approver = await pageAs(browser, "approver", DESKTOP);
  await approver.goto(planUrl);
  await approver.getByRole("button", { name: "Approve" }).click();
  await expect(approver.getByTestId("plan-status")).toHaveText("running");
  await activate(approver, "node-01", "restart");
  const restartedAt = Date.now();

  // The widen awaits its click, but the judge says no, in words next to the button.
  const widen = approver.getByTestId("step-node-01-widen");
  const button = widen.getByRole("button", { name: "Activate widen" });
  await expect(button).toBeDisabled();
  const note = widen.getByRole("status");
  await expect(note).toContainText("Widen blocked by the canary analysis");
  await expect(note).toContainText(/collecting canary samples|has not looked at the canary yet/);
  const memoryWhenBlocked = await agentMemoryPercent(approver, "node-01");
  console.log(
    `widen blocked ${((Date.now() - restartedAt) / 1000).toFixed(1)} s after the restart: "${await note.innerText()}"; canary memory ${memoryWhenBlocked.toFixed(1)} %`,
  );
  expect(memoryWhenBlocked).toBeLessThan(50);

  // Nobody clicks anything more: the look before the widen sees the leak coming and rolls back.
  await expect(approver.getByTestId("plan-status")).toHaveText("rolled back", { timeout: 60_000 });
  const rolledBackAfterS = (Date.now() - restartedAt) / 1000;
  await expect(approver.getByTestId("plan-status-reason")).toContainText("before plan start");

  // The evidence: the failed look, with the memory level it saw and the trend's projection.
  const plan = await planDetail(approver, planUrl);
  const failed = plan.analysis.runs.find((run) => run.phase === "before_widen" && run.decision === "fail");
  expect(failed, JSON.stringify(plan.analysis.runs.map((run) => [run.phase, run.decision, run.summary]))).toBeDefined();
  const memoryAtLook = failed!.result.limits.find((limit) => limit.key === "memoryPercent")?.worst?.value;
  console.log(
    `failed look ${((new Date(failed!.at).getTime() - restartedAt) / 1000).toFixed(1)} s after the restart at canary memory ${memoryAtLook?.toFixed(1)} %: ${failed!.summary}; rolled back ${rolledBackAfterS.toFixed(1)} s after the restart`,
  );
  expect(memoryAtLook).toBeLessThan(50);

  const history = approver.getByRole("region", { name: "Canary analysis" });
  const look = history.getByRole("listitem", { name: "Before widen fail" });
  await expect(look).toContainText(failed!.summary);
  await look.locator("summary").click();
  await expect(look.getByRole("table", { name: "Metric judgements" })).toContainText("memory");
  await expect(look.getByRole("list", { name: "Trends" })).toContainText("crosses 75%");
  await expect(approver.getByRole("figure", { name: "Memory: canary vs stable" })).toContainText("limit 75%");
  await look.scrollIntoViewIfNeeded();
  await approver.screenshot({ path: testInfo.outputPath("leak-drill-analysis-history.png") });
  await approver.screenshot({ path: testInfo.outputPath("leak-drill-plan-page.png"), fullPage: true });

  // The postmortem says how long the release ran before the judge caught it.
  const id = new URL(planUrl).pathname.split("/").at(-1)!;
  const markdown = await (await approver.request.get(`/api/plans/${id}/export?format=md`)).text();
  await testInfo.attach("postmortem.md", { body: markdown, contentType: "text/markdown" });
  expect(markdown).toContain("Time to detect");
});
