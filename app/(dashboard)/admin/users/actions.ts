"use server";

import { revalidatePath } from "next/cache";
import { formActionError, type FormState } from "@/lib/http/form-state";
import { requireUserOrThrow } from "@/lib/server/session";
import { changeUserRole } from "@/lib/server/users";

export async function changeRoleAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const userId = formData.get("userId");
  const role = formData.get("role");
  try {
    const actor = await requireUserOrThrow("admin");
    const user = await changeUserRole({ actor, userId: typeof userId === "string" ? userId : "", role });
    revalidatePath("/admin/users");
    return { ok: true, message: `${user.email} is now ${user.role}.` };
  } catch (error) {
    return formActionError(error, {});
  }
}
