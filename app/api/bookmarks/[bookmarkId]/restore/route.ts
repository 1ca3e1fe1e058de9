import { NextResponse } from "next/server";
import { z } from "zod";
import { readJsonBody, withAuth } from "@/lib/http/with-auth";
import { requestBookmarkRestore } from "@/lib/server/plans/restore-bookmark";

const restoreBody = z.object({ reason: z.string().trim().min(1).max(500).default("restored by hand") });

// POST /api/bookmarks/:bookmarkId/restore — put every node of the bookmark back (approver)
export const POST = withAuth<{ bookmarkId: string }>(
  async (request, { user, params }) => {
    const body = restoreBody.parse(request.headers.get("content-length") === "0" ? {} : await readJsonBody(request));
    const restoreId = await requestBookmarkRestore({ actor: user, bookmarkId: params.bookmarkId, reason: body.reason });
    return NextResponse.json({ restoreId }, { status: 202 });
  },
  { role: "approver" },
);
