import { NextResponse } from "next/server";
import { withAuth } from "@/lib/http/with-auth";
import { activateStep } from "@/lib/server/plans/activate-step";

// POST /api/plans/:planId/steps/:stepId/activate — activate a prepared step, exactly once (approver)
export const POST = withAuth<{ planId: string; stepId: string }>(
  async (_request, { user, params }) => {
    await activateStep({ actor: user, planId: params.planId, stepId: params.stepId });
    return NextResponse.json({ ok: true }, { status: 202 });
  },
  { role: "approver" },
);
