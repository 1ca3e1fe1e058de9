import { FilterableEventList } from "@/components/timeline/filterable-event-list";
import { WindowExportForm } from "@/components/timeline/window-export-form";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { listRecentAuditEvents } from "@/lib/server/audit-log";
import { requirePageUser } from "@/lib/server/session";

export const metadata = { title: "Timeline" };

export default async function TimelinePage() {
  await requirePageUser("viewer");
  const events = await listRecentAuditEvents({ limit: 500 });
  return (
    <>
      <PageHeader
        title="Timeline"
        description="Everything that happened across the fleet and every plan, newest first, from the hash-chained audit log."
      />
      <div className="space-y-6">
        <WindowExportForm />
        {events.length === 0 ? <EmptyState title="Nothing has happened yet" /> : <FilterableEventList events={events} />}
      </div>
    </>
  );
}
