import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { HeaderLink } from "@/components/ui/header-link";
import { PageHeader } from "@/components/ui/page-header";
import { StatusBadge } from "@/components/ui/status-badge";
import { hasRole } from "@/lib/auth/roles";
import { listPlans } from "@/lib/server/plans/list-plans";
import { requirePageUser } from "@/lib/server/session";

export const metadata = { title: "Plans" };

export default async function PlansPage() {
  const user = await requirePageUser("viewer");
  const plans = await listPlans();
  return (
    <>
      <PageHeader
        title="Plans"
        description="Upgrade plans move nodes from one release to another, one approved step at a time."
        actions={hasRole(user.role, "operator") ? <HeaderLink href="/plans/new">New plan</HeaderLink> : undefined}
      />
      {plans.length === 0 ? (
        <EmptyState title="No plans yet">Draft a plan to move nodes from one release to another.</EmptyState>
      ) : (
        <ul aria-label="Plans" className="space-y-2">
          {plans.map((plan) => (
            <li key={plan.id}>
              <Link
                href={`/plans/${plan.id}`}
                className="block rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 hover:ring-indigo-300"
              >
                <div className="flex flex-wrap items-center gap-3">
                  <span className="font-semibold">{plan.title}</span>
                  <StatusBadge status={plan.status} />
                  {plan.awaitingActivation > 0 && (
                    <span className="text-xs font-medium text-amber-800">{plan.awaitingActivation} waiting for a click</span>
                  )}
                  <span className="ml-auto text-xs text-slate-500">{plan.author}</span>
                </div>
                <p className="mt-1 text-sm text-slate-600">
                  {plan.from} → {plan.to} · {plan.strategy.replaceAll("_", " ")} · {plan.nodes} nodes · {plan.stepsDone}/{plan.stepsTotal}{" "}
                  steps
                </p>
                {plan.statusReason && <p className="mt-1 text-xs text-slate-500">{plan.statusReason}</p>}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
