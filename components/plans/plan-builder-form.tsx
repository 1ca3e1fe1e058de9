"use client";

import { useActionState, useState } from "react";
import { createPlanAction } from "@/app/(dashboard)/plans/actions";
import type { FleetNode } from "@/lib/fleet/fleet-node";
import type { FormState } from "@/lib/http/form-state";
import { planStepKinds } from "@/lib/plans/plan-step-kinds";
import { MIGRATION_UPGRADE_TIMEOUT_SECONDS, defaultStepTimeoutSeconds } from "@/lib/plans/step-timeouts";
import { SubmitButton } from "@/components/ui/submit-button";

const INITIAL_STATE: FormState = {};
const inputClass = "block w-full rounded-md border border-slate-300 px-3 py-2 text-sm aria-invalid:border-rose-500";

function FieldError({ state, names }: { state: FormState; names: string[] }) {
  const messages = Object.entries(state.fieldErrors ?? {})
    .filter(([path]) => names.some((name) => path === name || path.startsWith(`${name}.`)))
    .flatMap(([, list]) => list);
  if (messages.length === 0) return null;
  return <p className="text-xs text-rose-700">{messages.join(" ")}</p>;
}

function ReleaseSelect(props: {
  name: string;
  label: string;
  releases: { id: string; name: string }[];
  defaultValue: string;
  state: FormState;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={props.name} className="block text-sm font-medium">
        {props.label}
      </label>
      <select id={props.name} name={props.name} defaultValue={props.defaultValue} className={inputClass}>
        {props.releases.map((release) => (
          <option key={release.id} value={release.id}>
            {release.name}
          </option>
        ))}
      </select>
      <FieldError state={props.state} names={[props.name]} />
    </div>
  );
}

export function PlanBuilderForm({ releases, nodes }: { releases: { id: string; name: string }[]; nodes: FleetNode[] }) {
  const [state, formAction, pending] = useActionState(createPlanAction, INITIAL_STATE);
  const [strategy, setStrategy] = useState(state.values?.strategyKind || "rolling_canary");
  const value = (name: string, fallback = "") => state.values?.[name] ?? fallback;
  const eligible = nodes.filter((node) => node.role !== "witness");
  return (
    <form action={formAction} className="max-w-4xl space-y-6 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
      {state.message && (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
          {state.message}
        </p>
      )}
      <div className="grid gap-4 md:grid-cols-3">
        <div className="space-y-1 md:col-span-3">
          <label htmlFor="title" className="block text-sm font-medium">
            Title
          </label>
          <input id="title" name="title" defaultValue={value("title")} className={inputClass} placeholder="Roll 2026.11.3 to eu-west-1" />
          <FieldError state={state} names={["title"]} />
        </div>
        <ReleaseSelect
          name="fromReleaseId"
          label="From release"
          releases={releases}
          defaultValue={value("fromReleaseId", releases.at(-1)?.id ?? "")}
          state={state}
        />
        <ReleaseSelect
          name="toReleaseId"
          label="To release"
          releases={releases}
          defaultValue={value("toReleaseId", releases[0]?.id ?? "")}
          state={state}
        />
        <div className="space-y-1">
          <label htmlFor="approvalsRequired" className="block text-sm font-medium">
            Approvals required
          </label>
          <input
            id="approvalsRequired"
            name="approvalsRequired"
            type="number"
            min={1}
            max={5}
            defaultValue={value("approvalsRequired", "1")}
            className={inputClass}
          />
          <FieldError state={state} names={["approvalsRequired"]} />
        </div>
      </div>

      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Nodes</legend>
        <p className="text-xs text-slate-500">Canaries go first. Witnesses are not listed: they stay on the old release as the baseline.</p>
        <div className="grid max-h-64 gap-1 overflow-auto rounded-md border border-slate-200 p-2 sm:grid-cols-2 lg:grid-cols-3">
          {eligible.map((node) => (
            <label key={node.id} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="nodeIds" value={node.id} defaultChecked />
              <span className="font-medium">{node.name}</span>
              <span className="text-xs text-slate-500">
                {node.role} · {node.region} · {node.coreVersion ?? "?"}
              </span>
            </label>
          ))}
        </div>
        <FieldError state={state} names={["nodeIds"]} />
      </fieldset>

      <fieldset className="space-y-3">
        <legend className="text-sm font-medium">Strategy</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          {[
            ["rolling_canary", "Rolling canary"],
            ["rolling_one_by_one", "One node at a time"],
            ["big_bang", "Big bang"],
          ].map(([kind, label]) => (
            <label key={kind} className="flex items-center gap-2">
              <input type="radio" name="strategyKind" value={kind} checked={strategy === kind} onChange={() => setStrategy(kind!)} />
              {label}
            </label>
          ))}
        </div>
        <div className="grid gap-4 md:grid-cols-3">
          {strategy === "rolling_canary" && (
            <div className="space-y-1 md:col-span-2">
              <label htmlFor="canaryStages" className="block text-sm font-medium">
                Stages (cumulative % of nodes)
              </label>
              <input id="canaryStages" name="canaryStages" defaultValue={value("canaryStages", "1, 10, 50, 100")} className={inputClass} />
            </div>
          )}
          <div className="space-y-1">
            <label htmlFor="holdSeconds" className="block text-sm font-medium">
              Hold after each wave (s)
            </label>
            <input
              id="holdSeconds"
              name="holdSeconds"
              type="number"
              min={0}
              defaultValue={value("holdSeconds", "60")}
              className={inputClass}
            />
          </div>
        </div>
        <FieldError state={state} names={["strategy"]} />
      </fieldset>

      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Guardrails (checked before every widen, and continuously while the plan runs)</legend>
        <div className="grid gap-4 md:grid-cols-4">
          {[
            ["maxMemoryPercent", "Max memory %", "75"],
            ["maxQueueDepth", "Max queue depth", "500"],
            ["maxP95Ms", "Max p95 latency (ms)", "8000"],
            ["minSuccessRate", "Min success rate (0–1)", "0.95"],
          ].map(([name, label, fallback]) => (
            <div key={name} className="space-y-1">
              <label htmlFor={name} className="block text-xs font-medium">
                {label}
              </label>
              <input id={name} name={name} inputMode="decimal" defaultValue={value(name!, fallback)} className={inputClass} />
            </div>
          ))}
        </div>
        <FieldError state={state} names={["guardrails"]} />
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="autoRollback" defaultChecked />
          Roll back automatically when a gate or step fails (otherwise pause for a human)
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="freshBaseline" aria-describedby="fresh-baseline-help" />
          Fresh baseline: restart the next wave&apos;s first node (on the old release) with the canary, and judge the canary against it
        </label>
        <p id="fresh-baseline-help" className="text-xs text-slate-500">
          So that what grows with uptime, a leak included, grows on both sides of the comparison. Needs a second wave.
        </p>
        <FieldError state={state} names={["analysis.freshBaseline"]} />
      </fieldset>

      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Step timeouts (seconds; blank keeps the default)</legend>
        <p className="text-xs text-slate-500">
          A step that runs longer is cancelled on the node and fails, and the plan pauses or rolls back as set above. An upgrade whose
          release migrates memory gets {MIGRATION_UPGRADE_TIMEOUT_SECONDS / 60} min unless set here.
        </p>
        <div className="grid gap-4 md:grid-cols-6">
          {planStepKinds.map((kind) => (
            <div key={kind} className="space-y-1">
              <label htmlFor={`stepTimeout_${kind}`} className="block text-xs font-medium">
                {kind}
              </label>
              <input
                id={`stepTimeout_${kind}`}
                name={`stepTimeout_${kind}`}
                inputMode="numeric"
                placeholder={String(defaultStepTimeoutSeconds[kind])}
                defaultValue={value(`stepTimeout_${kind}`, "")}
                className={inputClass}
              />
            </div>
          ))}
        </div>
        <FieldError state={state} names={["stepTimeouts"]} />
      </fieldset>

      <SubmitButton pending={pending} label="Create plan" pendingLabel="Creating…" />
    </form>
  );
}
