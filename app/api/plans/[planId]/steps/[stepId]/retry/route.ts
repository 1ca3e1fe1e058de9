import { NextResponse } from "next/server";
import { readJsonBody, withAuth } from "@/lib/http/with-auth";
import { retryStep } from "@/lib/server/plans/retry-step";

// POST /api/plans/:planId/steps/:stepId/retry — run a failed step again as a new attempt, with a reason (approver)
export const POST = withAuth<{ planId: string; stepId: string }>(
  async (request, { user, params }) => {
    const result = await retryStep({ actor: user, planId: params.planId, stepId: params.stepId, input: await readJsonBody(request) });
    return NextResponse.json(result, { status: 202 });
  },
  { role: "approver" },
);
