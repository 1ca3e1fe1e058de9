import { z } from "zod";
import { simFaultMapSchema, type SimFaultMap } from "./sim-faults-schema";

/**
 * A fault script file (JSON or YAML) for `npm run agent -- --faults-file` and `npm run fleet --
 * --faults-file`: faults for every node, plus per-node additions by node name.
 *
 *   faults:            # all nodes
 *     2026.12.0: { memoryLeak: {} }
 *   nodes:
 *     node-07:
 *       2026.12.0: { crashMidUpgrade: true }
 */
export const simFaultScriptSchema = z.strictObject({
  faults: simFaultMapSchema.default({}),
  nodes: z.record(z.string(), simFaultMapSchema).default({}),
});
export type SimFaultScript = z.infer<typeof simFaultScriptSchema>;

/** The fault map one node gets from a script: per-node entries override shared ones per version. */
export function faultsForNode(script: SimFaultScript, name: string): SimFaultMap {
  return { ...script.faults, ...script.nodes[name] };
}
