/**
 * A node's steps, in the only order they may run. `upgrade` installs core, then plugins, in one
 * agent operation: plugins declare a peer range on core, so splitting them would leave a window
 * where the installed tree is inconsistent.
 */
export const planStepKinds = ["drain", "upgrade", "doctor", "restart", "verify", "widen"] as const;
export type PlanStepKind = (typeof planStepKinds)[number];

/**
 * `prepare` steps run by themselves once the plan runs: they don't change what users see
 * (a drained node takes no traffic). `activate` steps do — a restart swaps the live process,
 * a widen sends traffic to the new release — so each waits for an approver's click.
 */
export type PlanStepMode = "prepare" | "activate";

export const planStepModes: Readonly<Record<PlanStepKind, PlanStepMode>> = {
  drain: "prepare",
  upgrade: "prepare",
  doctor: "prepare",
  restart: "activate",
  verify: "prepare",
  widen: "activate",
};
