import { PlanBuilderForm } from "@/components/plans/plan-builder-form";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { listFleetNodes } from "@/lib/server/nodes";
import { listReleases } from "@/lib/server/releases";
import { requirePageUser } from "@/lib/server/session";

export const metadata = { title: "New plan" };

export default async function NewPlanPage() {
  const user = await requirePageUser("operator");
  const [releases, nodes] = await Promise.all([listReleases(), listFleetNodes({ actor: user })]);
  return (
    <>
      <PageHeader
        title="New plan"
        description="Choose releases, nodes, a strategy and guardrails. Another approver must approve it before anything runs."
      />
      {releases.length < 2 ? (
        <EmptyState title="A plan needs two releases">Create the release the fleet runs now and the one to move to.</EmptyState>
      ) : (
        <PlanBuilderForm releases={releases.map(({ id, name }) => ({ id, name }))} nodes={nodes} />
      )}
    </>
  );
}
