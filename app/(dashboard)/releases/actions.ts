"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { isAppError } from "@/lib/app-error";
import { formActionError, type FormState } from "@/lib/http/form-state";
import { createRelease } from "@/lib/server/releases";
import { requireUserOrThrow } from "@/lib/server/session";

const MAX_UPLOAD_BYTES = 256 * 1024;

/** Upload (file or pasted text) → validated, immutable release. Field errors come back to the form. */
export async function createReleaseAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const pasted = formData.get("manifestText");
  const file = formData.get("manifestFile");
  const format = formData.get("format") === "json" ? "json" : formData.get("format") === "yaml" ? "yaml" : "auto";
  let text = typeof pasted === "string" ? pasted : "";
  let releaseId: string;
  try {
    const actor = await requireUserOrThrow("operator");
    if (file instanceof File && file.size > 0) {
      if (file.size > MAX_UPLOAD_BYTES)
        return { message: `The file is ${Math.round(file.size / 1024)} KiB; the limit is 256 KiB.`, values: { manifestText: "" } };
      text = await file.text();
    }
    if (!text.trim())
      return { message: "Paste a manifest or choose a file.", fieldErrors: { manifestText: ["Required"] }, values: { manifestText: "" } };
    const { release } = await createRelease({ actor, source: { text, format } });
    releaseId = release.id;
  } catch (error) {
    if (isAppError(error) && error.code === "unauthenticated") redirect("/login");
    return formActionError(error, { manifestText: text });
  }
  revalidatePath("/releases");
  redirect(`/releases/${releaseId}`);
}
