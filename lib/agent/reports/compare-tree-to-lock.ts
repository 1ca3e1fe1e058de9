import type { InstalledTree, Lock, ReadinessReason } from "@/lib/protocol";

/** Every way the installed tree differs from a lock; empty means they match exactly. */
export function compareTreeToLock(installed: InstalledTree, lock: Lock): ReadinessReason[] {
  const reasons: ReadinessReason[] = [];
  if (installed.core !== lock.core) {
    reasons.push({ code: "core_mismatch", message: `core ${installed.core ?? "(none)"} installed, lock wants ${lock.core}` });
  }
  for (const [name, version] of Object.entries(lock.plugins)) {
    const actual = installed.plugins[name];
    if (actual === undefined) reasons.push({ code: "plugin_missing", message: `${name}@${version} is in the lock but not installed` });
    else if (actual !== version) reasons.push({ code: "plugin_mismatch", message: `${name} ${actual} installed, lock wants ${version}` });
  }
  for (const [name, version] of Object.entries(installed.plugins)) {
    if (!(name in lock.plugins))
      reasons.push({ code: "plugin_unexpected", message: `${name}@${version} is installed but not in the lock` });
  }
  return reasons;
}
