import { NextResponse } from "next/server";
import { readJsonBody, withAuth } from "@/lib/http/with-auth";
import { acceptAnalysis } from "@/lib/server/plans/accept-analysis";

// POST /api/plans/:planId/analysis/:runId/accept — let a marginal or inconclusive canary analysis through, with a reason (approver)
export const POST = withAuth<{ planId: string; runId: string }>(
  async (request, { user, params }) => {
    await acceptAnalysis({ actor: user, planId: params.planId, runId: params.runId, input: await readJsonBody(request) });
    return NextResponse.json({ ok: true }, { status: 202 });
  },
  { role: "approver" },
);
