import { z } from "zod";
import { withAuth } from "@/lib/http/with-auth";
import { exportIncident } from "@/lib/server/exports/export-incident";

const query = z.object({ format: z.enum(["md", "json", "csv"]).default("md") });

// GET /api/plans/:planId/export?format=md|json|csv — the plan's incident review, streamed (viewer)
export const GET = withAuth<{ planId: string }>(
  async (request, { user, params }) => {
    const { format } = query.parse(Object.fromEntries(new URL(request.url).searchParams));
    return exportIncident({ actor: user, scope: { planId: params.planId }, format });
  },
  { role: "viewer" },
);
