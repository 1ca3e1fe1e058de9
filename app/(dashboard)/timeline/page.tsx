import { AuditEventList } from "@/components/timeline/audit-event-list";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { listRecentAuditEvents } from "@/lib/server/audit-log";
import { requirePageUser } from "@/lib/server/session";

export const metadata = { title: "Timeline" };

export default async function TimelinePage() {
  await requirePageUser("viewer");
  const events = await listRecentAuditEvents({ limit: 200 });
  return (
    <>
      <PageHeader title="Timeline" description="Everything that happened, newest first, from the hash-chained audit log." />
      {events.length === 0 ? <EmptyState title="Nothing has happened yet" /> : <AuditEventList events={events} />}
    </>
  );
}
