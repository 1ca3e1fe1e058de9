"use client";

import { useActionState } from "react";
import { changeRoleAction } from "@/app/(dashboard)/admin/users/actions";
import { ROLES, type Role } from "@/lib/auth/roles";
import type { FormState } from "@/lib/http/form-state";

const INITIAL_STATE: FormState = {};

/** One user's role: pick and save; the result (or the refusal) is said next to it. */
export function RoleForm({ userId, email, role }: { userId: string; email: string; role: Role }) {
  const [state, formAction, pending] = useActionState(changeRoleAction, INITIAL_STATE);
  return (
    <form action={formAction} className="flex items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <label className="sr-only" htmlFor={`role-${userId}`}>
        Role of {email}
      </label>
      <select id={`role-${userId}`} name="role" defaultValue={role} className="rounded-md border border-slate-300 px-2 py-1 text-sm">
        {ROLES.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-slate-900 px-2 py-1 text-xs font-medium text-white disabled:opacity-50"
      >
        Save
      </button>
      {state.message && (
        <span role="status" className={`text-xs ${state.ok ? "text-emerald-700" : "text-rose-700"}`}>
          {state.message}
        </span>
      )}
    </form>
  );
}
