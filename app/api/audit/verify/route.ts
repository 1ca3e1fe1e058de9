import { NextResponse } from "next/server";
import { withAuth } from "@/lib/http/with-auth";
import { verifyAuditChain } from "@/lib/server/audit-log";

// GET /api/audit/verify — re-compute the audit hash chain and report the first broken link (viewer)
export const GET = withAuth(
  async () => {
    const result = await verifyAuditChain();
    return NextResponse.json({ ok: result.firstBreak === null, ...result });
  },
  { role: "viewer" },
);
