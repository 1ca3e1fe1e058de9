import { expect, test } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { storageStateFor } from "./fixtures";

function newNode(name: string) {
  return {
    name,
    agentUrl: "http://127.0.0.1:9199",
    agentSecret: `whsec_${randomBytes(24).toString("base64")}`,
    role: "stable",
    region: "eu-central-1",
  };
}

test.describe("as a viewer", () => {
  test.use({ storageState: storageStateFor("viewer") });

  test("the operator-only action is refused on the server, not just hidden", async ({ page }) => {
    await page.goto("/fleet");
    await expect(page.getByRole("link", { name: "Register node" })).toHaveCount(0);

    await page.goto("/fleet/new");
    await expect(page).toHaveURL(/\/forbidden\?need=operator/);
    await expect(page.getByRole("heading", { name: "You are not allowed to do that" })).toBeVisible();

    const name = `gw-viewer-${Date.now()}`;
    const response = await page.request.post("/api/nodes", { data: newNode(name) });
    expect(response.status()).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "forbidden" } });

    await page.goto(`/fleet?q=${name}`);
    await expect(page.getByRole("heading", { name: "No node matches these filters" })).toBeVisible();
  });
});

test.describe("as an operator", () => {
  test.use({ storageState: storageStateFor("operator") });

  test("registers a node through the form, with field errors for bad input that keep what was typed", async ({ page }) => {
    const name = `gw-op-${Date.now()}`;
    await page.goto("/fleet");
    await page.getByRole("link", { name: "Register node" }).click();
    // Wait for the form: the fleet page has a "Name" filter field too.
    await expect(page.getByRole("heading", { level: 1, name: "Register node" })).toBeVisible();
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Agent URL").fill("ftp://wrong");
    await page.getByLabel("Signing secret").fill("hunter2");
    await page.getByLabel("Region").fill("eu-central-1");
    await page.getByRole("button", { name: "Register node" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Please correct the highlighted fields." })).toBeVisible();
    await expect(page.getByLabel("Agent URL")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Name")).toHaveValue(name);

    await page.getByLabel("Agent URL").fill("http://127.0.0.1:9199");
    await page.getByLabel("Signing secret").fill(`whsec_${randomBytes(24).toString("base64")}`);
    // A witness, so the plan specs (which run after this one) never try to upgrade this fake host.
    await page.getByLabel("Role").selectOption("witness");
    await page.getByRole("button", { name: "Register node" }).click();
    await expect(page).toHaveURL(/\/fleet$/);
    await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("witness");
  });

  test("gets 400 with a clear message for a malformed JSON body, and nothing is created", async ({ page }) => {
    const response = await page.request.post("/api/nodes", {
      data: Buffer.from("{not json"),
      headers: { "content-type": "application/json" },
    });
    expect(response.status()).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_input", message: "The request body must be JSON." } });
    const invalid = await page.request.post("/api/nodes", { data: { name: "Bad Name!" } });
    expect(invalid.status()).toBe(400);
    const body = (await invalid.json()) as { error: { fieldErrors: Record<string, string[]> } };
    expect(Object.keys(body.error.fieldErrors)).toEqual(expect.arrayContaining(["name", "agentUrl", "agentSecret", "role", "region"]));
  });
});

test.describe("the API without a session", () => {
  test("answers 401 JSON for every API route, known or not, and never redirects", async ({ request }) => {
    for (const path of ["/api/nodes", "/api/audit/verify", "/api/does-not-exist"]) {
      const response = await request.get(path, { maxRedirects: 0 });
      expect(response.status(), path).toBe(401);
      expect(response.headers()["content-type"]).toContain("application/json");
      expect(await response.json()).toMatchObject({ error: { code: "unauthenticated" } });
    }
    const post = await request.post("/api/nodes", { data: newNode("gw-anon"), maxRedirects: 0 });
    expect(post.status()).toBe(401);
  });
});

test.describe("the API with a session", () => {
  test.use({ storageState: storageStateFor("viewer") });

  test("answers 404 JSON for an unknown API route and verifies the audit chain", async ({ page }) => {
    const unknown = await page.request.get("/api/does-not-exist");
    expect(unknown.status()).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "not_found" } });
    const verify = await page.request.get("/api/audit/verify");
    expect(await verify.json()).toMatchObject({ ok: true, firstBreak: null });
  });
});
