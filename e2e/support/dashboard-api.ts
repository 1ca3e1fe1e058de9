import { request, type APIRequestContext, type APIResponse } from "@playwright/test";
import type { PlanDetail } from "@/lib/plans/plan-detail-view";
import type { PlanDraftInput } from "@/lib/plans/plan-draft-schema";

const REQUEST_TIMEOUT_MS = 15_000;

async function okOrThrow(response: APIResponse, what: string, expected: number): Promise<APIResponse> {
  if (response.status() !== expected) {
    throw new Error(`${what} answered ${response.status()} (expected ${expected}): ${(await response.text()).slice(0, 500)}`);
  }
  return response;
}

/**
 * One signed-in person talking to a dashboard over its JSON API, as a script or the UI would.
 * Sessions are JWTs signed with the shared NEXTAUTH_SECRET, so the same cookies keep working on a
 * restarted dashboard and on another instance (`at`).
 */
export class DashboardApi {
  private constructor(
    private readonly context: APIRequestContext,
    readonly baseUrl: string,
    readonly email: string,
  ) {}

  /** Signs in through next-auth's credentials endpoint, the same POST the login form makes. */
  static async signIn(baseUrl: string, user: { email: string; password: string }): Promise<DashboardApi> {
    const context = await request.newContext({ timeout: REQUEST_TIMEOUT_MS });
    const csrf = await okOrThrow(await context.get(`${baseUrl}/api/auth/csrf`), "GET /api/auth/csrf", 200);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const callback = await context.post(`${baseUrl}/api/auth/callback/credentials`, {
      form: { csrfToken, email: user.email, password: user.password, callbackUrl: `${baseUrl}/fleet`, json: "true" },
      headers: { origin: baseUrl },
      maxRedirects: 0,
    });
    if (callback.status() >= 400) throw new Error(`Signing in as ${user.email} answered ${callback.status()}: ${await callback.text()}`);
    const session = (await (await context.get(`${baseUrl}/api/auth/session`)).json()) as { user?: { email?: string } };
    if (session.user?.email !== user.email) throw new Error(`Signing in as ${user.email} gave no session (got ${JSON.stringify(session)})`);
    return new DashboardApi(context, baseUrl, user.email);
  }

  /** The same person (same cookies) talking to another dashboard instance. */
  at(baseUrl: string): DashboardApi {
    return new DashboardApi(this.context, baseUrl, this.email);
  }

  // Mutations say where they come from and that they carry JSON, as the cross-site check wants.
  private post(path: string, body: unknown): Promise<APIResponse> {
    return this.context.post(`${this.baseUrl}${path}`, {
      headers: { origin: this.baseUrl, "content-type": "application/json" },
      data: JSON.stringify(body),
    });
  }

  async createPlan(draft: PlanDraftInput): Promise<string> {
    const response = await okOrThrow(await this.post("/api/plans", draft), `POST /api/plans as ${this.email}`, 201);
    return ((await response.json()) as { plan: { id: string } }).plan.id;
  }

  async approvePlan(planId: string): Promise<void> {
    await okOrThrow(await this.post(`/api/plans/${planId}/approve`, {}), `Approving plan ${planId} as ${this.email}`, 200);
  }

  async activateStep(planId: string, stepId: string): Promise<void> {
    await okOrThrow(
      await this.post(`/api/plans/${planId}/steps/${stepId}/activate`, {}),
      `Activating step ${stepId} as ${this.email} on ${this.baseUrl}`,
      202,
    );
  }

  /**
   * Activates a step as soon as the server lets it: a widen waits for the canary analysis to pass
   * (409 "The canary analysis does not allow this widen yet"), any other refusal is an error.
   */
  async activateStepWhenAllowed(planId: string, stepId: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const response = await this.post(`/api/plans/${planId}/steps/${stepId}/activate`, {});
      if (response.status() === 202) return;
      const text = await response.text();
      if (response.status() !== 409 || !text.includes("canary analysis does not allow") || Date.now() > deadline) {
        throw new Error(
          `Activating step ${stepId} as ${this.email} on ${this.baseUrl} answered ${response.status()}: ${text.slice(0, 500)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** False while the canary analysis holds a widen back; throws on any other refusal. */
  async tryActivateStep(planId: string, stepId: string): Promise<boolean> {
    const response = await this.post(`/api/plans/${planId}/steps/${stepId}/activate`, {});
    if (response.status() === 202) return true;
    const text = await response.text();
    if (response.status() === 409 && text.includes("canary analysis does not allow")) return false;
    throw new Error(`Activating step ${stepId} as ${this.email} on ${this.baseUrl} answered ${response.status()}: ${text.slice(0, 500)}`);
  }

  async plan(planId: string): Promise<PlanDetail> {
    const response = await okOrThrow(await this.context.get(`${this.baseUrl}/api/plans/${planId}`), `GET /api/plans/${planId}`, 200);
    return ((await response.json()) as { plan: PlanDetail }).plan;
  }

  async verifyAudit(): Promise<{ ok: boolean; firstBreak: unknown; head: { seq: string; hash: string } | null }> {
    const response = await okOrThrow(await this.context.get(`${this.baseUrl}/api/audit/verify`), "GET /api/audit/verify", 200);
    return (await response.json()) as { ok: boolean; firstBreak: unknown; head: { seq: string; hash: string } | null };
  }

  async dispose(): Promise<void> {
    await this.context.dispose();
  }
}
