import type { Lock, OperationResult } from "@/lib/protocol";
import type { AgentDriver, CoreInstallFacts, StepContext } from "../drivers/agent-driver";
import { compareTreeToLock } from "../reports/compare-tree-to-lock";
import { OperationFailure } from "./operation-failure";

/**
 * Brings a node to `lock` (used by upgrade and rollback): record the lock as the node's
 * lockfile first, so a crash at any later point leaves a visible mismatch instead of a node that
 * silently looks finished; then core, then plugins (they declare peers on core), then remove
 * plugins the lock does not name, migrate, restart, and only succeed if the tree now matches.
 * Steps already done are skipped, so re-running after a failure resumes rather than repeats.
 */
export async function applyLock(driver: AgentDriver, lock: Lock, ctx: StepContext): Promise<OperationResult> {
  const pluginNames = Object.keys(lock.plugins).sort();
  ctx.log(`target: core ${lock.core}, ${pluginNames.length} plugins`);
  await driver.writeLockfile(lock, ctx);

  let snapshot = await driver.snapshot();
  let facts: CoreInstallFacts = {};
  if (snapshot.installed.core === lock.core) ctx.log(`core ${lock.core} already installed`);
  else {
    facts = (await driver.installCore(lock.core, ctx)) ?? {};
    // A core install can change plugins too (the openclaw driver's rollback restores a backup, and
    // plugin files are not in it), so the plugin steps below compare with the tree as it is now.
    snapshot = await driver.snapshot();
  }

  for (const name of pluginNames) {
    const version = lock.plugins[name]!;
    if (snapshot.installed.plugins[name] === version) ctx.log(`${name}@${version} already installed`);
    else await driver.installPlugin(name, version, ctx);
  }
  for (const name of Object.keys(snapshot.installed.plugins).sort()) {
    if (!(name in lock.plugins)) await driver.removePlugin(name, ctx);
  }
  await driver.migrate(ctx);
  await driver.restart(ctx);

  snapshot = await driver.snapshot();
  const result: OperationResult = { installed: snapshot.installed, lockfileSha256: snapshot.lockfile?.sha256 ?? null, ...facts };
  const mismatches = compareTreeToLock(snapshot.installed, lock);
  if (mismatches.length > 0) {
    throw new OperationFailure(
      "tree_mismatch",
      `installed tree does not match the requested lock: ${mismatches.map((m) => m.message).join("; ")}`,
      result,
    );
  }
  ctx.log("installed tree matches the lock");
  return result;
}
