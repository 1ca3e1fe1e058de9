import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/server/session";

export const metadata = { title: "Plans" };

export default async function PlansPage() {
  await requirePageUser("viewer");
  return (
    <>
      <PageHeader title="Plans" description="Upgrade plans move nodes from one release to another, one approved step at a time." />
      <EmptyState title="No plans yet">Upgrade plans are not stored in this version of Rollbook yet.</EmptyState>
    </>
  );
}
