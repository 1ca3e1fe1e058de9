import "server-only";
import { AppError } from "@/lib/app-error";
import { hasRole } from "@/lib/auth/roles";
import { Prisma } from "@/lib/generated/prisma/client";
import {
  diffReleaseManifests,
  parseReleaseManifest,
  releaseManifestSchema,
  releaseManifestSha256,
  validateReleaseManifest,
  validateReleaseSuccessor,
  type ManifestFormat,
  type ReleaseManifest,
  type ReleaseManifestDiff,
} from "@/lib/releases";
import { appendAuditEvent } from "./audit-log";
import { db } from "./db";
import type { SessionUser } from "./users";

export type ReleaseSource = { text: string; format?: ManifestFormat } | { manifest: unknown };

export interface ReleaseSummary {
  id: string;
  name: string;
  coreVersion: string;
  manifestSha256: string;
  replaces: string | null;
  createdBy: string;
  createdAt: string;
}

const summarySelect = {
  id: true,
  name: true,
  coreVersion: true,
  manifestSha256: true,
  createdAt: true,
  replaces: { select: { name: true } },
  createdBy: { select: { email: true } },
} satisfies Prisma.ReleaseSelect;

function toSummary(row: Prisma.ReleaseGetPayload<{ select: typeof summarySelect }>): ReleaseSummary {
  return {
    id: row.id,
    name: row.name,
    coreVersion: row.coreVersion,
    manifestSha256: row.manifestSha256,
    replaces: row.replaces?.name ?? null,
    createdBy: row.createdBy.email,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * Stores a new immutable release from an uploaded YAML/JSON file or a form. Everything is checked
 * before anything is written: the manifest itself, then the rules that need the release it
 * replaces (additive memory migrations). Operators and above.
 */
export async function createRelease(options: {
  actor: SessionUser;
  source: ReleaseSource;
}): Promise<{ release: ReleaseSummary; warnings: Record<string, string[]> }> {
  const { actor, source } = options;
  if (!hasRole(actor.role, "operator")) throw new AppError("forbidden", "Creating a release needs the operator role.");
  const parsed = "text" in source ? parseReleaseManifest(source.text, source.format ?? "auto") : validateReleaseManifest(source.manifest);
  if (!parsed.ok) throw new AppError("invalid_input", "The release manifest is not valid.", { fieldErrors: parsed.errors });
  const manifest = parsed.manifest;

  let previous: { id: string; manifest: ReleaseManifest } | null = null;
  if (manifest.replaces) {
    const row = await db.release.findUnique({ where: { name: manifest.replaces }, select: { id: true, manifest: true } });
    if (!row)
      throw new AppError("invalid_input", "The release manifest is not valid.", {
        fieldErrors: { replaces: [`no release named "${manifest.replaces}"`] },
      });
    previous = { id: row.id, manifest: releaseManifestSchema.parse(row.manifest) };
  }
  const successor = validateReleaseSuccessor({ previous: previous?.manifest ?? null, next: manifest });
  if (!successor.ok)
    throw new AppError("invalid_input", "The release does not follow the one it replaces.", { fieldErrors: successor.errors });

  const manifestSha256 = releaseManifestSha256(manifest);
  try {
    const release = await db.$transaction(async (tx) => {
      const row = await tx.release.create({
        data: {
          name: manifest.name,
          manifest,
          manifestSha256,
          coreVersion: manifest.core,
          replacesId: previous?.id ?? null,
          createdById: actor.id,
        },
        select: summarySelect,
      });
      await appendAuditEvent(tx, {
        kind: "release.created",
        actor,
        data: { name: manifest.name, sha256: manifestSha256, replaces: manifest.replaces ?? null },
      });
      return row;
    });
    return { release: toSummary(release), warnings: successor.warnings };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const target = JSON.stringify((error.meta as { target?: unknown } | undefined)?.target ?? "");
      throw target.includes("manifestSha256")
        ? new AppError("conflict", "An identical release already exists.", {
            fieldErrors: { manifest: ["identical to an existing release"] },
          })
        : new AppError(
            "conflict",
            `A release named "${manifest.name}" already exists; releases are immutable, so give the new one a new name.`,
            {
              fieldErrors: { name: ["already taken"] },
            },
          );
    }
    throw error;
  }
}

export async function listReleases(): Promise<ReleaseSummary[]> {
  const rows = await db.release.findMany({ orderBy: { createdAt: "desc" }, select: summarySelect });
  return rows.map(toSummary);
}

export interface ReleaseDetail extends ReleaseSummary {
  manifest: ReleaseManifest;
  diff: ReleaseManifestDiff | null;
}

/** One release with its manifest and the diff against the release it replaces. */
export async function getReleaseDetailOrThrow(id: string): Promise<ReleaseDetail> {
  const row = await db.release.findUnique({
    where: { id },
    select: { ...summarySelect, manifest: true, replaces: { select: { name: true, manifest: true } } },
  });
  if (!row) throw new AppError("not_found", "No such release.");
  const manifest = releaseManifestSchema.parse(row.manifest);
  const diff = row.replaces ? diffReleaseManifests({ from: releaseManifestSchema.parse(row.replaces.manifest), to: manifest }) : null;
  return { ...toSummary(row), manifest, diff };
}
