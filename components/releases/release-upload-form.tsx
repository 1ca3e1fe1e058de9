"use client";

import { useActionState } from "react";
import { createReleaseAction } from "@/app/(dashboard)/releases/actions";
import type { FormState } from "@/lib/http/form-state";
import { SubmitButton } from "@/components/ui/submit-button";

const INITIAL_STATE: FormState = {};

export function ReleaseUploadForm({ example }: { example: string }) {
  const [state, formAction, pending] = useActionState(createReleaseAction, INITIAL_STATE);
  const errors = Object.entries(state.fieldErrors ?? {});
  return (
    <form action={formAction} className="max-w-3xl space-y-4 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
      {state.message && (
        <div role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
          <p className="font-medium">{state.message}</p>
          {errors.length > 0 && (
            <ul aria-label="Manifest errors" className="mt-2 list-disc space-y-0.5 pl-5 font-mono text-xs">
              {errors.map(([field, messages]) => (
                <li key={field}>
                  <span className="font-semibold">{field}</span>: {messages.join("; ")}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="space-y-1">
        <label htmlFor="manifestFile" className="block text-sm font-medium">
          Manifest file (YAML or JSON)
        </label>
        <input
          id="manifestFile"
          name="manifestFile"
          type="file"
          accept=".yaml,.yml,.json,application/json,text/yaml"
          className="block text-sm"
        />
      </div>
      <div className="space-y-1">
        <label htmlFor="manifestText" className="block text-sm font-medium">
          Or paste the manifest
        </label>
        <textarea
          id="manifestText"
          name="manifestText"
          rows={18}
          defaultValue={state.values?.manifestText ?? ""}
          placeholder={example}
          spellCheck={false}
          className="block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-xs"
        />
      </div>
      <div className="flex items-center gap-4">
        <label className="flex items-center gap-2 text-sm">
          Format
          <select name="format" defaultValue="auto" className="rounded-md border border-slate-300 px-2 py-1 text-sm">
            <option value="auto">detect</option>
            <option value="yaml">YAML</option>
            <option value="json">JSON</option>
          </select>
        </label>
        <SubmitButton pending={pending} label="Create release" pendingLabel="Validating…" />
      </div>
    </form>
  );
}
