import { NextResponse } from "next/server";
import { AUDIT_CHECKPOINT_FORMAT } from "@/lib/audit/audit-checkpoint";
import { withAuth } from "@/lib/http/with-auth";
import { auditCheckpointKey } from "@/lib/server/audit/audit-checkpoint-key";
import { currentAuditCheckpoint } from "@/lib/server/audit/current-audit-checkpoint";

// GET /api/audit/checkpoint — the audit chain's head, signed, and the public key to verify it with (viewer)
export const GET = withAuth(
  async () => {
    const checkpoint = await currentAuditCheckpoint();
    return NextResponse.json(
      { format: AUDIT_CHECKPOINT_FORMAT, algorithm: "Ed25519", publicKey: auditCheckpointKey().publicKey, checkpoint },
      { headers: { "cache-control": "no-store" } },
    );
  },
  { role: "viewer" },
);
