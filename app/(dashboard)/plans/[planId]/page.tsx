import { notFound } from "next/navigation";
import { PlanLive } from "@/components/plans/plan-live";
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
      <PageHeader title={plan.title} />
      <PlanLive initialPlan={plan} />
    </>
  );
}
