import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/server/session";

export const metadata = { title: "Releases" };

export default async function ReleasesPage() {
  await requirePageUser("viewer");
  return (
    <>
      <PageHeader title="Releases" description="Immutable release manifests: core and plugins, model pin, prompts, tools, memory schema, config." />
      <EmptyState title="No releases yet">Release manifests are not stored in this version of Rollbook yet.</EmptyState>
    </>
  );
}
