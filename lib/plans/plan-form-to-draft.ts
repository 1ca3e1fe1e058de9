import { planStepKinds } from "./plan-step-kinds";

/**
 * Turns the plan builder's flat form fields into the nested draft that planDraftSchema checks.
 * It only reshapes (numbers stay strings' numeric values, blanks become absent); every rule lives
 * in the schema, so the API and the form cannot disagree about what a valid plan is.
 */
export function planFormToDraft(form: { get(name: string): unknown; getAll(name: string): unknown[] }) {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value.trim() : "";
  };
  const number = (name: string) => (text(name) === "" ? undefined : Number(text(name)));
  const holdSeconds = number("holdSeconds") ?? 0;
  const kind = text("strategyKind");
  const strategy =
    kind === "rolling_canary"
      ? {
          kind,
          stages: text("canaryStages")
            .split(/[\s,→>]+/)
            .filter(Boolean)
            .map((percent) => ({ percent: Number(percent.replace("%", "")), holdSeconds })),
        }
      : { kind, holdSeconds };
  const guardrails = Object.fromEntries(
    (["maxMemoryPercent", "maxQueueDepth", "maxP95Ms", "minSuccessRate"] as const).flatMap((key) => {
      const value = number(key);
      return value === undefined ? [] : [[key, value]];
    }),
  );
  const stepTimeouts = Object.fromEntries(
    planStepKinds.flatMap((kind) => {
      const value = number(`stepTimeout_${kind}`);
      return value === undefined ? [] : [[kind, value]];
    }),
  );
  return {
    title: text("title"),
    fromReleaseId: text("fromReleaseId"),
    toReleaseId: text("toReleaseId"),
    nodeIds: form.getAll("nodeIds").filter((value): value is string => typeof value === "string"),
    strategy,
    guardrails,
    approvalsRequired: number("approvalsRequired") ?? 1,
    autoRollback: form.get("autoRollback") === "on",
    stepTimeouts,
    ...(form.get("freshBaseline") === "on" ? { analysis: { freshBaseline: true } } : {}),
  };
}
