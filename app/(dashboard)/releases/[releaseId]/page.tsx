import { notFound } from "next/navigation";
import { ReleaseDiffView } from "@/components/releases/release-diff-view";
import { PageHeader } from "@/components/ui/page-header";
import { isAppError } from "@/lib/app-error";
import { getReleaseDetailOrThrow } from "@/lib/server/releases";
import { requirePageUser } from "@/lib/server/session";

export default async function ReleasePage({ params }: { params: Promise<{ releaseId: string }> }) {
  await requirePageUser("viewer");
  const { releaseId } = await params;
  const release = await getReleaseDetailOrThrow(releaseId).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  return (
    <>
      <PageHeader title={release.name} description={`core ${release.coreVersion} · sha256 ${release.manifestSha256}`} />
      <div className="grid gap-6 xl:grid-cols-2">
        <section aria-labelledby="diff-heading" className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <h2 id="diff-heading" className="mb-3 font-semibold">
            {release.replaces ? `Changes since ${release.replaces}` : "First release (nothing to compare with)"}
          </h2>
          {release.diff ? (
            <ReleaseDiffView diff={release.diff} />
          ) : (
            <p className="text-sm text-slate-600">This release replaces nothing.</p>
          )}
        </section>
        <section aria-labelledby="manifest-heading" className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <h2 id="manifest-heading" className="mb-3 font-semibold">
            Manifest
          </h2>
          <pre className="max-h-[70vh] overflow-auto rounded bg-slate-950 p-3 text-xs text-slate-100">
            {JSON.stringify(release.manifest, null, 2)}
          </pre>
        </section>
      </div>
    </>
  );
}
