"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useActionState, useEffect } from "react";
import { registerNodeAction } from "@/app/(dashboard)/fleet/actions";
import type { FormState } from "@/lib/http/form-state";
import { NODE_ROLES } from "@/lib/fleet/node-registration";
import { queryKeys } from "@/lib/query-keys";
import { SubmitButton } from "@/components/ui/submit-button";

const INITIAL_STATE: FormState = {};

const FIELDS = [
  { name: "name", label: "Name", placeholder: "gw-eu-7", type: "text", hint: "Lowercase letters, digits and dashes." },
  { name: "agentUrl", label: "Agent URL", placeholder: "http://10.0.0.7:9099", type: "url", hint: "Where the node agent listens." },
  {
    name: "agentSecret",
    label: "Signing secret",
    placeholder: "whsec_…",
    type: "password",
    hint: "From the agent's secret file; never shown again.",
  },
  { name: "region", label: "Region", placeholder: "eu-west-1", type: "text", hint: "" },
] as const;

export function RegisterNodeForm() {
  const [state, formAction, pending] = useActionState(registerNodeAction, INITIAL_STATE);
  const queryClient = useQueryClient();
  const router = useRouter();

  useEffect(() => {
    if (!state.ok) return;
    // The fleet list is cached client-side; drop it so the new node shows at once.
    void queryClient.invalidateQueries({ queryKey: queryKeys.fleet.all }).then(() => router.push("/fleet"));
  }, [state.ok, queryClient, router]);

  const inputClass = "block w-full rounded-md border border-slate-300 px-3 py-2 text-sm aria-invalid:border-rose-500";
  return (
    <form action={formAction} className="max-w-lg space-y-4 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
      {state.message && !state.ok && (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
          {state.message}
        </p>
      )}
      {FIELDS.map((field) => {
        const errors = state.fieldErrors?.[field.name];
        return (
          <div key={field.name} className="space-y-1">
            <label htmlFor={field.name} className="block text-sm font-medium">
              {field.label}
            </label>
            <input
              id={field.name}
              name={field.name}
              type={field.type}
              placeholder={field.placeholder}
              required
              defaultValue={state.values?.[field.name] ?? ""}
              aria-invalid={errors ? true : undefined}
              aria-describedby={`${field.name}-hint`}
              className={inputClass}
            />
            <p id={`${field.name}-hint`} className={`text-xs ${errors ? "text-rose-700" : "text-slate-500"}`}>
              {errors ? errors.join(" ") : field.hint}
            </p>
          </div>
        );
      })}
      <div className="space-y-1">
        <label htmlFor="role" className="block text-sm font-medium">
          Role
        </label>
        <select id="role" name="role" defaultValue={state.values?.role ?? "stable"} className={inputClass}>
          {NODE_ROLES.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </select>
      </div>
      <SubmitButton pending={pending} label="Register node" pendingLabel="Registering…" />
    </form>
  );
}
