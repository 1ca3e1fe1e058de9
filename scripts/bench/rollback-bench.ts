// Time to restore a rollback bookmark on 100 simulated nodes, against one node, in the same run:
// the real restore path (DB rows, signed agent calls: rollback, undrain, verify) over real HTTP.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pLimit from "p-limit";
import { defaultSimLock } from "@/lib/agent/drivers/sim/create-sim-driver";
import { startFleet } from "@/lib/agent/fleet/start-fleet";
import { createAgentClient } from "@/lib/protocol";
import type { AgentTarget } from "@/lib/server/agents/run-agent-action";
import { db } from "@/lib/server/db";
import { captureBookmark } from "@/lib/server/plans/capture-bookmark";
import { performBookmarkRestore, requestBookmarkRestore } from "@/lib/server/plans/restore-bookmark";
import { createUser } from "@/prisma/factories";
import { assertDisposableDatabase, truncateAllTables } from "@/prisma/test/test-db";
import type { BenchResult } from "../bench";

const FLEET_SIZE = 100;
const NEXT_LOCK = { core: "2026.11.3", plugins: { ...defaultSimLock.plugins, "@openclaw/slack": "2026.11.4" } };

export async function runRollbackBench(): Promise<BenchResult[]> {
  assertDisposableDatabase(process.env.DATABASE_URL);
  await truncateAllTables(db);
  const stateDir = await mkdtemp(path.join(os.tmpdir(), "rollbook-rollback-bench-"));
  // speed 20: an install step takes tens of ms, so the figure is about Rollbook, not the simulated installer.
  const fleet = await startFleet({ count: FLEET_SIZE, stateDir, speed: 20 });
  try {
    const approver = await createUser(db, { role: "approver" });
    const targets: AgentTarget[] = [];
    for (const member of fleet.nodes) {
      const node = await db.node.create({
        data: { name: member.name, agentUrl: member.url, agentSecret: member.secret, role: member.role, region: member.region },
      });
      targets.push({ id: node.id, name: node.name, agentUrl: node.agentUrl, agentSecret: node.agentSecret });
    }
    const moveAway = pLimit(32);
    const restoreOnce = async (label: string, nodes: typeof targets): Promise<number> => {
      const bookmarkId = await captureBookmark({ planId: null, stepId: null, scope: "plan", label, releaseSha256: null, nodes });
      await Promise.all(
        nodes.map((node) =>
          moveAway(async () => {
            const client = createAgentClient({ url: node.agentUrl, secret: node.agentSecret, timeoutMs: 30_000 });
            const accepted = await client.upgrade({ lock: NEXT_LOCK });
            await client.waitForOperation(accepted.operation.id, { timeoutMs: 60_000 });
          }),
        ),
      );
      const restoreId = await requestBookmarkRestore({ actor: approver, bookmarkId, reason: "bench" });
      const started = performance.now();
      await performBookmarkRestore(restoreId);
      const wallMs = performance.now() - started;
      const restore = await db.bookmarkRestore.findUniqueOrThrow({ where: { id: restoreId } });
      if (restore.status !== "succeeded") throw new Error(`restore of ${label} ${restore.status}`);
      return wallMs;
    };
    const one = await restoreOnce("one node", targets.slice(0, 1));
    const hundred = await restoreOnce(`${FLEET_SIZE} nodes`, targets);
    const result = (name: string, wallMs: number, nodes: number): BenchResult => ({
      name,
      baseline: "restore bookmark, 1 node",
      requestsPerSec: (nodes * 1000) / wallMs,
      p95Ms: wallMs,
      samples: nodes,
      errors: 0,
      wallMs,
    });
    return [result("restore bookmark, 1 node", one, 1), result(`restore bookmark, ${FLEET_SIZE} nodes`, hundred, FLEET_SIZE)];
  } finally {
    await fleet.close();
    await rm(stateDir, { recursive: true, force: true });
  }
}
