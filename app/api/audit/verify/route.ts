import { NextResponse } from "next/server";
import { z } from "zod";
import { signedAuditCheckpointSchema } from "@/lib/audit/audit-checkpoint";
import { readJsonBody, withAuth } from "@/lib/http/with-auth";
import { verifyAuditLog } from "@/lib/server/audit/verify-audit-log";

// GET /api/audit/verify — re-compute the audit hash chain, judge it against the newest checkpoint
// of the checkpoint file, and report the first broken link or checkpoint problem (viewer)
export const GET = withAuth(
  async () => {
    return NextResponse.json(await verifyAuditLog());
  },
  { role: "viewer" },
);

const verifyBody = z.strictObject({ checkpoints: z.array(signedAuditCheckpointSchema).min(1).max(100) });

// POST /api/audit/verify — the same, also judged against the signed checkpoints in the body (viewer)
export const POST = withAuth(
  async (request) => {
    const { checkpoints } = verifyBody.parse(await readJsonBody(request));
    return NextResponse.json(await verifyAuditLog({ checkpoints }));
  },
  { role: "viewer" },
);
