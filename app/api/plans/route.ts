import { NextResponse } from "next/server";
import { readJsonBody, withAuth } from "@/lib/http/with-auth";
import { createPlan } from "@/lib/server/plans/create-plan";
import { listPlans } from "@/lib/server/plans/list-plans";

// GET /api/plans — plans with progress, newest first (viewer)
export const GET = withAuth(async () => NextResponse.json({ plans: await listPlans() }), { role: "viewer" });

// POST /api/plans — draft a plan (operator)
export const POST = withAuth(
  async (request, { user }) =>
    NextResponse.json({ plan: await createPlan({ actor: user, input: await readJsonBody(request) }) }, { status: 201 }),
  { role: "operator" },
);
