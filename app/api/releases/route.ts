import { NextResponse } from "next/server";
import { z } from "zod";
import { readJsonBody, withAuth } from "@/lib/http/with-auth";
import { createRelease, listReleases } from "@/lib/server/releases";

// GET /api/releases — every release, newest first (viewer)
export const GET = withAuth(async () => NextResponse.json({ releases: await listReleases() }), { role: "viewer" });

const createReleaseBody = z.union([
  z.object({ text: z.string().max(512 * 1024), format: z.enum(["yaml", "json", "auto"]).optional() }),
  z.object({ manifest: z.unknown() }),
]);

// POST /api/releases — store a release from manifest text (YAML/JSON) or a manifest object (operator)
export const POST = withAuth(
  async (request, { user }) => {
    const source = createReleaseBody.parse(await readJsonBody(request));
    const created = await createRelease({ actor: user, source });
    return NextResponse.json(created, { status: 201 });
  },
  { role: "operator" },
);
