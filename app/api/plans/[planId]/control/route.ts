import { NextResponse } from "next/server";
import { z } from "zod";
import { readJsonBody, withAuth } from "@/lib/http/with-auth";
import { controlPlan } from "@/lib/server/plans/control-plan";

const controlBody = z.object({ control: z.enum(["pause", "resume", "abort"]), reason: z.string().max(500).optional() });

// POST /api/plans/:planId/control — pause, resume or abort (operator; resume needs approver)
export const POST = withAuth<{ planId: string }>(
  async (request, { user, params }) => {
    const body = controlBody.parse(await readJsonBody(request));
    await controlPlan({ actor: user, planId: params.planId, ...body });
    return NextResponse.json({ ok: true });
  },
  { role: "operator" },
);
