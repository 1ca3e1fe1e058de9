import "server-only";
import { capabilityCheckListSchema, lockSchema, type CapabilityCheck, type Lock } from "@/lib/protocol";

/** The package tree a release installs, as the node agent's upgrade/verify actions expect it. */
export function releaseLock(manifest: unknown): Lock {
  const { core, plugins } = manifest as { core?: unknown; plugins?: unknown };
  return lockSchema.parse({ core, plugins });
}

/** The capability checks a release asks its nodes to pass after the upgrade, or null when it names none. */
export function releaseCapabilityChecks(manifest: unknown): CapabilityCheck[] | null {
  const { capabilityChecks } = manifest as { capabilityChecks?: unknown };
  return capabilityChecks === undefined ? null : capabilityCheckListSchema.parse(capabilityChecks);
}
