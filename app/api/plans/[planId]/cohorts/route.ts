import { NextResponse } from "next/server";
import { withAuth } from "@/lib/http/with-auth";
import { getPlanCohorts } from "@/lib/server/plans/get-plan-cohorts";

// GET /api/plans/:planId/cohorts — canary vs stable series for the charts; the verdicts are the analysis runs in GET /api/plans/:planId (viewer)
export const GET = withAuth<{ planId: string }>(
  async (_request, { params }) => NextResponse.json({ cohorts: await getPlanCohorts({ planId: params.planId }) }),
  {
    role: "viewer",
  },
);
