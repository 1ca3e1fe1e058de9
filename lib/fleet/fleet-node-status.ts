import type { ReadinessColor, ReadinessLabel } from "@/lib/readiness";
import type { FleetNode } from "./fleet-node";

/** A fleet row with its merged Doctor readiness. */
export interface JudgedFleetNode extends FleetNode {
  readiness: {
    color: ReadinessColor;
    label: ReadinessLabel;
    reasons: { code: string; message: string }[];
    ageMs: number | null;
  };
  /** Consensus trouble: peers on the same release whose probe differs, with the differing parts. */
  probeDisagreement: { part: string; majority: unknown; node: unknown }[] | null;
}

/** A fleet row as the fleet page shows it: merged readiness and the last half hour of memory and queue. */
export interface FleetNodeStatus extends JudgedFleetNode {
  memorySpark: (number | null)[];
  queueSpark: (number | null)[];
}
