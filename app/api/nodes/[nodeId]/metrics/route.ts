import { NextResponse } from "next/server";
import { metricRangeSchema } from "@/lib/fleet/metric-range";
import { withAuth } from "@/lib/http/with-auth";
import { nodeMetricSeries } from "@/lib/server/fleet/node-metric-series";

// GET /api/nodes/:nodeId/metrics?range=1h|6h|24h|7d — bucketed memory, queue, tasks/min, p95 (viewer)
export const GET = withAuth<{ nodeId: string }>(
  async (request, { params }) => {
    const range = metricRangeSchema.parse(new URL(request.url).searchParams.get("range") ?? "1h");
    return NextResponse.json({ range, points: await nodeMetricSeries({ nodeId: params.nodeId, range }) });
  },
  { role: "viewer" },
);
