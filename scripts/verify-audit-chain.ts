// `npm run audit:verify [-- --checkpoint <file> …] [--no-checkpoint-file] [--public-key <key>]` —
// re-computes the audit log's hash chain in Postgres and judges it against signed checkpoints: the
// newest one in the dashboard's checkpoint file, plus those in each --checkpoint file (a saved
// checkpoint or `GET /api/audit/checkpoint` reply, a failure broadcast body, an incident bundle, or
// a checkpoint file from elsewhere). Exits 1 on a broken link, a chain that ends before a
// checkpoint ("rows were removed"), or a checkpoint that does not match; 0 when all hold.
// For an exported JSON bundle alone, use `node --import tsx lib/exports/verify-bundle-cli.ts`.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { SignedAuditCheckpoint } from "@/lib/audit/audit-checkpoint";
import { findAuditCheckpoints } from "@/lib/audit/find-audit-checkpoints";
import { verifyAuditLog } from "@/lib/server/audit/verify-audit-log";
import { db } from "@/lib/server/db";

const { values } = parseArgs({
  options: {
    checkpoint: { type: "string", multiple: true, default: [] },
    "no-checkpoint-file": { type: "boolean", default: false },
    "public-key": { type: "string" },
  },
});

const usesCheckpoints = !values["no-checkpoint-file"] || values.checkpoint.length > 0;
if (usesCheckpoints && !process.env.ROLLBOOK_SECRET_KEY && !values["public-key"]) {
  console.error(
    "Set ROLLBOOK_SECRET_KEY (the demo keeps it in .data/secret-key) or pass --public-key <publicKey of GET /api/audit/checkpoint>: checkpoints are trusted only when signed by the dashboard's key.",
  );
  process.exit(1);
}

const checkpoints: SignedAuditCheckpoint[] = [];
const problems: string[] = [];
for (const file of values.checkpoint) {
  const found = findAuditCheckpoints(await readFile(file, "utf8"));
  checkpoints.push(...found.checkpoints);
  problems.push(...found.problems.map((problem) => `${file}: ${problem}`));
}

const result = await verifyAuditLog({
  checkpoints,
  useCheckpointFile: !values["no-checkpoint-file"],
  ...(values["public-key"] ? { trustedPublicKey: values["public-key"] } : {}),
});
await db.$disconnect();

if (result.checkpointFile) {
  const { path, count, newest } = result.checkpointFile;
  console.log(
    `checkpoint file ${path}: ${count} checkpoint(s)${newest ? `, newest at sequence ${newest.sequence} (signed at ${newest.at})` : ""}`,
  );
}
problems.push(...(result.checkpointFile?.problems ?? []));
for (const problem of [...problems, ...result.checkpoints.problems.map((problem) => `${problem.reason}: ${problem.message}`)]) {
  console.error(`CHECKPOINT FAILED: ${problem}`);
}
if (result.firstBreak) {
  console.error(`BROKEN at seq ${result.firstBreak.seq} (${result.firstBreak.reason}); ${result.checked} events verified before it.`);
}
if (!result.ok || problems.length > 0) process.exit(1);
if (result.checkpoints.checked === 0) {
  console.log("WARNING: no checkpoint to check against: rows removed from the end of the log would not show (see docs/exports.md).");
}
console.log(
  `OK: ${result.checked} events verified against ${result.checkpoints.checked} checkpoint(s); head seq ${result.head?.seq ?? "-"} hash ${result.head?.hash ?? "-"}`,
);
