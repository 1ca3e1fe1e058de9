import type { NodeRole } from "./node-registration";

/** A node as the dashboard shows it: never includes the agent secret. */
export interface FleetNode {
  id: string;
  name: string;
  agentUrl: string;
  role: NodeRole;
  region: string;
  coreVersion: string | null;
  lbWeight: number;
  updatedAt: string;
}
