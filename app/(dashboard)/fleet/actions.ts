"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { isAppError } from "@/lib/app-error";
import { formActionError, type FormState } from "@/lib/http/form-state";
import { registerNode } from "@/lib/server/nodes";
import { requireUserOrThrow } from "@/lib/server/session";

export async function registerNodeAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = Object.fromEntries(
    ["name", "agentUrl", "agentSecret", "role", "region"].map((key) => {
      const value = formData.get(key);
      return [key, typeof value === "string" ? value : ""];
    }),
  );
  try {
    // The role is checked again inside registerNode; this check only gives the clearer message.
    const actor = await requireUserOrThrow("operator");
    const node = await registerNode({ actor, input: values });
    revalidatePath("/fleet");
    return { ok: true, message: `Registered ${node.name}.` };
  } catch (error) {
    if (isAppError(error) && error.code === "unauthenticated") redirect("/login");
    return formActionError(error, { ...values, agentSecret: "" });
  }
}
