import { ZodError } from "zod";
import { isAppError } from "@/lib/app-error";
import { zodFieldErrors } from "./zod-field-errors";

/** What a server action hands back to its form: field errors and the values to keep, never a throw. */
export interface FormState {
  ok?: boolean;
  message?: string;
  fieldErrors?: Record<string, string[]>;
  values?: Record<string, string>;
}

export function formActionError(error: unknown, values: Record<string, string>): FormState {
  if (error instanceof ZodError) {
    return { message: "Please correct the highlighted fields.", fieldErrors: zodFieldErrors(error), values };
  }
  if (isAppError(error)) return { message: error.message, fieldErrors: error.fieldErrors, values };
  console.error("Unhandled error in server action", error);
  return { message: "Something went wrong on our side; nothing was saved.", values };
}
