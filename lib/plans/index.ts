// Public surface of the plan engine's pure domain: no database, no HTTP. The runner in lib/server/ drives it.
export {
  planStrategySchema,
  canaryStageSchema,
  MAX_CANARY_STAGES,
  MAX_HOLD_SECONDS,
  type CanaryStage,
  type PlanStrategy,
  type PlanStrategyInput,
  type PlanStrategyKind,
} from "./plan-strategy-schema";
export { planGuardrailsSchema, type PlanGuardrailKey, type PlanGuardrails } from "./plan-guardrails-schema";
export {
  planDraftSchema,
  approvalsRequiredSchema,
  autoRollbackSchema,
  MAX_PLAN_NODES,
  type PlanDraft,
  type PlanDraftInput,
} from "./plan-draft-schema";
export { planStepKinds, planStepModes, type PlanStepKind, type PlanStepMode } from "./plan-step-kinds";
export { buildPlanSteps, type PlanNodeInput, type PlanStep, type PlanSteps, type PlanWave } from "./build-plan-steps";
export type { IllegalTransition, TransitionResult } from "./illegal-transition";
export {
  transitionPlan,
  allowedPlanEvents,
  planEvents,
  planStatuses,
  terminalPlanStatuses,
  type PlanEvent,
  type PlanStatus,
} from "./transition-plan";
export {
  transitionStep,
  allowedStepEvents,
  stepEvents,
  stepStatuses,
  terminalStepStatuses,
  type StepEvent,
  type StepStatus,
} from "./transition-step";
export { evaluateApproval, type ApprovalDecision, type ApprovalRefusal } from "./evaluate-approval";
export { nextRunnableSteps, type HaltReason, type IdleReason, type NextAction, type RunnableStep } from "./next-runnable-steps";
export {
  evaluateWidenGate,
  type GateFailure,
  type GateFailureCode,
  type GateNode,
  type GateReadiness,
  type GateResult,
  type GuardrailMetrics,
} from "./evaluate-widen-gate";
export { gateReadinessFromReport } from "./gate-readiness-from-report";
