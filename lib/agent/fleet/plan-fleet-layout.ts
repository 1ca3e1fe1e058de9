import type { NodeRole } from "@/lib/protocol";

export const FLEET_REGIONS = ["eu-west-1", "us-east-1", "ap-southeast-2"] as const;

export type PlannedNode = { name: string; role: NodeRole; region: string };

/**
 * Names, roles and regions for a demo fleet of `count` nodes: regions round-robin, one canary
 * per ~6 nodes spread over different regions, and the last node as the witness (from 3 nodes up).
 */
export function planFleetLayout(count: number): PlannedNode[] {
  const witness = count >= 3 ? count - 1 : -1;
  const canaryCount = Math.max(1, Math.round(count / 6));
  const canaries = new Set<number>();
  // j*6 + j%3 lands the j-th canary in the j-th region, so canaries never share a region early.
  for (let j = 0; canaries.size < canaryCount && j < count * 2; j++) {
    const index = (j * 6 + (j % FLEET_REGIONS.length)) % count;
    if (index !== witness) canaries.add(index);
  }
  return Array.from({ length: count }, (_, index) => ({
    name: `node-${String(index + 1).padStart(2, "0")}`,
    role: index === witness ? "witness" : canaries.has(index) ? "canary" : "stable",
    region: FLEET_REGIONS[index % FLEET_REGIONS.length]!,
  }));
}
