import { NextResponse } from "next/server";
import { withAuth } from "@/lib/http/with-auth";
import { approvePlan } from "@/lib/server/plans/approve-plan";

// POST /api/plans/:planId/approve — approve a draft plan; the last required approval starts it (approver)
export const POST = withAuth<{ planId: string }>(
  async (_request, { user, params }) => NextResponse.json(await approvePlan({ actor: user, planId: params.planId })),
  { role: "approver" },
);
