import Link from "next/link";
import { notFound } from "next/navigation";
import { PlanLive } from "@/components/plans/plan-live";
import { ExportButtons } from "@/components/timeline/export-buttons";
import { PageHeader } from "@/components/ui/page-header";
import { isAppError } from "@/lib/app-error";
import { getPlanDetailOrThrow } from "@/lib/server/plans/get-plan-detail";
import { requirePageUser } from "@/lib/server/session";

export default async function PlanPage({ params }: { params: Promise<{ planId: string }> }) {
  const user = await requirePageUser("viewer");
  const { planId } = await params;
  const plan = await getPlanDetailOrThrow({ actor: user, planId }).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  return (
    <>
      <PageHeader
        title={plan.title}
        actions={
          <>
            <ExportButtons href={(format) => `/api/plans/${plan.id}/export?format=${format}`} />
            <Link
              href={`/plans/${plan.id}/timeline`}
              className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700"
            >
              Timeline
            </Link>
          </>
        }
      />
      <PlanLive initialPlan={plan} />
    </>
  );
}
