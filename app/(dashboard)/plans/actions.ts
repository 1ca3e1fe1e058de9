"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { isAppError } from "@/lib/app-error";
import { formActionError, type FormState } from "@/lib/http/form-state";
import { planFormToDraft } from "@/lib/plans/plan-form-to-draft";
import { planStepKinds } from "@/lib/plans/plan-step-kinds";
import { createPlan } from "@/lib/server/plans/create-plan";
import { requireUserOrThrow } from "@/lib/server/session";

export async function createPlanAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const keep = (name: string) => {
    const value = formData.get(name);
    return typeof value === "string" ? value : "";
  };
  let planId: string;
  try {
    const actor = await requireUserOrThrow("operator");
    planId = (await createPlan({ actor, input: planFormToDraft(formData) })).id;
  } catch (error) {
    if (isAppError(error) && error.code === "unauthenticated") redirect("/login");
    return formActionError(
      error,
      Object.fromEntries(
        [
          "title",
          "fromReleaseId",
          "toReleaseId",
          "strategyKind",
          "canaryStages",
          "holdSeconds",
          "maxMemoryPercent",
          "maxQueueDepth",
          "maxP95Ms",
          "minSuccessRate",
          "approvalsRequired",
          ...planStepKinds.map((kind) => `stepTimeout_${kind}`),
        ].map((name) => [name, keep(name)]),
      ),
    );
  }
  revalidatePath("/plans");
  redirect(`/plans/${planId}`);
}
