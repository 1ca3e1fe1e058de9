import "server-only";
import { AppError } from "@/lib/app-error";
import { hasRole } from "@/lib/auth/roles";
import type { FleetNode } from "@/lib/fleet/fleet-node";
import { nodeRegistrationSchema, type FleetFilter } from "@/lib/fleet/node-registration";
import { Prisma } from "@/lib/generated/prisma/client";
import { sealAgentSecret } from "@/lib/security/agent-secrets";
import { appendAuditEvent } from "./audit-log";
import { db } from "./db";
import type { SessionUser } from "./users";

const fleetNodeSelect = {
  id: true,
  name: true,
  agentUrl: true,
  role: true,
  region: true,
  coreVersion: true,
  lbWeight: true,
  updatedAt: true,
} satisfies Prisma.NodeSelect;

type FleetNodeRow = Prisma.NodeGetPayload<{ select: typeof fleetNodeSelect }>;

function toFleetNode(row: FleetNodeRow): FleetNode {
  return { ...row, updatedAt: row.updatedAt.toISOString() };
}

export async function listFleetNodes(options: { actor: SessionUser; filter?: FleetFilter }): Promise<FleetNode[]> {
  const { filter = {} } = options;
  const rows = await db.node.findMany({
    where: {
      ...(filter.role ? { role: filter.role } : {}),
      ...(filter.region ? { region: filter.region } : {}),
      ...(filter.q ? { name: { contains: filter.q, mode: "insensitive" } } : {}),
    },
    orderBy: { name: "asc" },
    select: fleetNodeSelect,
  });
  return rows.map(toFleetNode);
}

export async function listFleetRegions(): Promise<string[]> {
  const rows = await db.node.findMany({ distinct: ["region"], select: { region: true }, orderBy: { region: "asc" } });
  return rows.map((row) => row.region);
}

/** Core versions present in the fleet, newest first by string order, for the release filter. */
export async function listFleetReleases(): Promise<string[]> {
  const rows = await db.node.findMany({
    distinct: ["coreVersion"],
    where: { coreVersion: { not: null } },
    select: { coreVersion: true },
    orderBy: { coreVersion: "desc" },
  });
  return rows.flatMap((row) => (row.coreVersion ? [row.coreVersion] : []));
}

/** Registers a gateway host. Operators and above; the name must be unique. */
export async function registerNode(options: { actor: SessionUser; input: unknown }): Promise<FleetNode> {
  const { actor } = options;
  if (!hasRole(actor.role, "operator")) throw new AppError("forbidden", "Registering a node needs the operator role.");
  const input = nodeRegistrationSchema.parse(options.input);
  try {
    return await db.$transaction(async (tx) => {
      const node = await tx.node.create({ data: { ...input, agentSecret: sealAgentSecret(input.agentSecret) }, select: fleetNodeSelect });
      await appendAuditEvent(tx, {
        kind: "node.registered",
        actor,
        nodeId: node.id,
        data: { name: node.name, agentUrl: node.agentUrl, role: node.role, region: node.region },
      });
      return toFleetNode(node);
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("conflict", `A node named "${input.name}" is already registered.`, {
        fieldErrors: { name: ["This name is already taken"] },
      });
    }
    throw error;
  }
}
