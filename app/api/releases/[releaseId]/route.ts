import { NextResponse } from "next/server";
import { withAuth } from "@/lib/http/with-auth";
import { getReleaseDetailOrThrow } from "@/lib/server/releases";

// GET /api/releases/:releaseId — the manifest and its diff against the release it replaces (viewer)
export const GET = withAuth<{ releaseId: string }>(
  async (_request, { params }) => NextResponse.json({ release: await getReleaseDetailOrThrow(params.releaseId) }),
  { role: "viewer" },
);
