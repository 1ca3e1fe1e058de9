import "server-only";
import { lockSchema, type Lock } from "@/lib/protocol";

/** The package tree a release installs, as the node agent's upgrade/verify actions expect it. */
export function releaseLock(manifest: unknown): Lock {
  const { core, plugins } = manifest as { core?: unknown; plugins?: unknown };
  return lockSchema.parse({ core, plugins });
}
