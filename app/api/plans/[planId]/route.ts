import { NextResponse } from "next/server";
import { withAuth } from "@/lib/http/with-auth";
import { getPlanDetailOrThrow } from "@/lib/server/plans/get-plan-detail";

// GET /api/plans/:planId — the live plan: nodes × steps, approvals, bookmarks, recent events (viewer)
export const GET = withAuth<{ planId: string }>(
  async (_request, { user, params }) => NextResponse.json({ plan: await getPlanDetailOrThrow({ actor: user, planId: params.planId }) }),
  { role: "viewer" },
);
