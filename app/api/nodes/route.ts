import { NextResponse } from "next/server";
import { fleetFilterSchema } from "@/lib/fleet/node-registration";
import { readJsonBody, withAuth } from "@/lib/http/with-auth";
import { listFleetStatus } from "@/lib/server/fleet/list-fleet-status";
import { registerNode } from "@/lib/server/nodes";

// GET /api/nodes?role=&region=&release=&status=&q= — the fleet with readiness badges and sparklines (viewer)
export const GET = withAuth(
  async (request, { user }) => {
    const filter = fleetFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    return NextResponse.json({ nodes: await listFleetStatus({ actor: user, filter }) });
  },
  { role: "viewer" },
);

// POST /api/nodes — register a gateway host (operator)
export const POST = withAuth(
  async (request, { user }) => {
    const node = await registerNode({ actor: user, input: await readJsonBody(request) });
    return NextResponse.json({ node }, { status: 201 });
  },
  { role: "operator" },
);
