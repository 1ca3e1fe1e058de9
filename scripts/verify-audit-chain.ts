// `npm run audit:verify` — re-computes the audit log's hash chain in Postgres and reports the first
// broken link (exit 1) or the verified head (exit 0). For an exported JSON bundle, use
// `node --import tsx lib/exports/verify-bundle-cli.ts bundle.json` instead.
import { verifyAuditChain } from "@/lib/server/audit-log";
import { db } from "@/lib/server/db";

const result = await verifyAuditChain();
await db.$disconnect();
if (result.firstBreak) {
  console.error(`BROKEN at seq ${result.firstBreak.seq} (${result.firstBreak.reason}); ${result.checked} events verified before it.`);
  process.exit(1);
}
console.log(`OK: ${result.checked} events verified; head seq ${result.head?.seq ?? "-"} hash ${result.head?.hash ?? "-"}`);
