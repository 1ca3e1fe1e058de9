import { expect, test, type Page } from "@playwright/test";
import { createUser } from "@/prisma/factories";
import { assertDisposableDatabase, createTestPrisma } from "@/prisma/test/test-db";
import { storageStateFor } from "./fixtures";

test.describe("cross-site writes", () => {
  test.use({ storageState: storageStateFor("operator") });

  /** A plan draft the server would accept: real releases, a real node, one stage. */
  async function validPlanDraft(page: Page, title: string) {
    const { releases } = (await (await page.request.get("/api/releases")).json()) as { releases: { id: string; name: string }[] };
    const { nodes } = (await (await page.request.get("/api/nodes")).json()) as { nodes: { id: string }[] };
    const [to, from] = releases;
    if (!from || !to || !nodes[0]) throw new Error("The e2e world should have releases and nodes");
    return {
      title,
      fromReleaseId: from.id,
      toReleaseId: to.id,
      nodeIds: [nodes[0].id],
      strategy: { kind: "rolling_canary", stages: [{ percent: 100, holdSeconds: 0 }] },
      approvalsRequired: 1,
      autoRollback: false,
    };
  }

  async function planTitles(page: Page): Promise<string[]> {
    const { plans } = (await (await page.request.get("/api/plans")).json()) as { plans: { title: string }[] };
    return plans.map((plan) => plan.title);
  }

  test("a signed-in POST /api/plans from another origin, or as text/plain, is refused and creates nothing", async ({ page, baseURL }) => {
    const title = `Cross-site ${Date.now()}`;
    const draft = await validPlanDraft(page, title);

    const evil = await page.request.post("/api/plans", { headers: { origin: "http://evil.example" }, data: draft });
    expect(evil.status()).toBe(403);
    expect(await evil.json()).toMatchObject({ error: { code: "cross_site_refused" } });

    const sneaky = await page.request.post("/api/plans", {
      headers: { "sec-fetch-site": "cross-site", "content-type": "application/json" },
      data: JSON.stringify(draft),
    });
    expect(sneaky.status()).toBe(403);

    const plainText = await page.request.post("/api/plans", {
      headers: { origin: baseURL!, "content-type": "text/plain" },
      data: JSON.stringify(draft),
    });
    expect(plainText.status()).toBe(415);
    expect(await plainText.json()).toMatchObject({ error: { code: "unsupported_media_type" } });

    expect(await planTitles(page)).not.toContain(title);

    // The same draft from the dashboard's own origin passes the gate: with only the title emptied it
    // fails validation on the title alone, so the refused drafts above were otherwise valid.
    const sameOrigin = await page.request.post("/api/plans", { headers: { origin: baseURL! }, data: { ...draft, title: "" } });
    expect(sameOrigin.status()).toBe(400);
    const body = (await sameOrigin.json()) as { error: { fieldErrors: Record<string, string[]> } };
    expect(Object.keys(body.error.fieldErrors)).toEqual(["title"]);
  });
});

test.describe("sign-in throttling", () => {
  test("six wrong passwords lock the account: the right one is then refused with the throttle message", async ({ page }) => {
    const prisma = createTestPrisma(assertDisposableDatabase(process.env.E2E_DATABASE_URL ?? process.env.DATABASE_URL));
    try {
      // An account of its own: locking a demo user would lock the other specs out.
      const user = await createUser(prisma, { role: "viewer" });
      const signIn = async (password: string) => {
        await page.goto("/login");
        await page.getByLabel("Email").fill(user.email);
        await page.getByLabel("Password").fill(password);
        const answered = page.waitForResponse((response) => response.url().includes("/api/auth/callback/credentials"));
        await page.getByRole("button", { name: "Sign in" }).click();
        expect((await answered).status()).toBe(401);
        // The form's own alert, not Next's route announcer (also role=alert).
        return page.locator("form").getByRole("alert");
      };

      for (let i = 0; i < 5; i++) await expect(await signIn(`wrong-${i}`)).toHaveText("Wrong email or password.");
      await expect(await signIn("wrong-5")).toHaveText("Too many failed sign-ins. Try again in 15 minutes.");
      await expect(await signIn(user.password)).toHaveText("Too many failed sign-ins. Try again in 15 minutes.");

      await expect(page).toHaveURL(/\/login/);
      expect((await page.request.get("/api/nodes")).status()).toBe(401);
      const throttled = await prisma.auditEvent.findMany({ where: { kind: "auth.sign_in_throttled" } });
      expect(throttled.filter((event) => (event.data as { email?: string }).email === user.email)).toHaveLength(2);
    } finally {
      await prisma.$disconnect();
    }
  });
});
