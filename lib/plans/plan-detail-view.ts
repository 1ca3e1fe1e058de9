import type { AnalysisDecision, AnalysisPhase, AnalysisResult } from "@/lib/analysis";
import type { AuditEventView } from "@/lib/audit/audit-event-view";
import type { PlanGuardrails } from "./plan-guardrails-schema";
import type { PlanStrategy } from "./plan-strategy-schema";
import type { PlanStepKind, PlanStepMode } from "./plan-step-kinds";
import type { StepLiveness } from "./step-liveness";
import type { PlanStatus } from "./transition-plan";
import type { StepStatus } from "./transition-step";

/** The live plan page's data, as GET /api/plans/:id returns it. */
export interface PlanDetail {
  id: string;
  title: string;
  status: PlanStatus;
  statusReason: string | null;
  strategy: PlanStrategy;
  guardrails: PlanGuardrails;
  waves: { index: number; nodeIds: string[]; holdSeconds: number }[];
  approvalsRequired: number;
  autoRollback: boolean;
  fromRelease: { id: string; name: string; coreVersion: string };
  toRelease: { id: string; name: string; coreVersion: string };
  author: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  approvals: { approver: string; at: string }[];
  nodes: {
    id: string;
    name: string;
    role: string;
    region: string;
    coreVersion: string | null;
    lbWeight: number;
    wave: number;
    initialWeight: number;
  }[];
  steps: {
    id: string;
    nodeId: string;
    wave: number;
    seq: number;
    kind: PlanStepKind;
    mode: PlanStepMode;
    status: StepStatus;
    targetWeight: number | null;
    error: string | null;
    /** 1, then one more per approver retry. */
    attempt: number;
    startedAt: string | null;
    finishedAt: string | null;
    /** When the current attempt times out. */
    timeoutAt: string | null;
    activatedBy: string | null;
    /** For a running step: whether its job is really being worked on, or stalled and why. */
    liveness: StepLiveness | null;
  }[];
  bookmarks: {
    id: string;
    label: string;
    scope: "plan" | "node";
    capturedAt: string;
    nodes: { name: string; core: string; weight: number; drained: boolean }[];
    restores: {
      id: string;
      status: "running" | "succeeded" | "failed";
      automatic: boolean;
      actor: string | null;
      startedAt: string;
      finishedAt: string | null;
    }[];
  }[];
  events: AuditEventView[];
  can: {
    approve: boolean;
    activate: boolean;
    pause: boolean;
    resume: boolean;
    abort: boolean;
    restore: boolean;
    retry: boolean;
    /** Approver, plan running or paused: may accept the latest marginal or inconclusive formal look of a wave. */
    acceptAnalysis: boolean;
  };
}

/**
 * What GET /api/plans/:id returns: the plan and the canary judge's evidence. The analysis is kept
 * beside PlanDetail rather than in it so the incident bundle's plan summary (Omit<PlanDetail, …>)
 * does not change shape with it.
 */
export interface PlanLiveDetail extends PlanDetail {
  analysis: PlanAnalysisView;
}

/** One stored canary analysis (a formal look, or a watch that did not pass), with its full evidence. */
export interface PlanAnalysisRunView {
  id: string;
  wave: number;
  phase: AnalysisPhase;
  at: string;
  decision: AnalysisDecision;
  score: number | null;
  summary: string;
  accepted: { by: string; at: string; reason: string } | null;
  /** The stored AnalysisResult: per-metric judgements, limits, trends, the config it was judged with. */
  result: AnalysisResult;
}

/** What the judge says about a wave's widens that await their click, as the click itself will hear it. */
export interface PlanWidenVerdictView {
  wave: number;
  allowed: boolean;
  runId: string | null;
  /** The look's summary when allowed, the reason otherwise. */
  text: string;
  /** Before the first look: how many canary samples it still waits for ("collecting canary samples: 5 of 12 since the restart"). */
  samples: string | null;
}

export interface PlanAnalysisView {
  /** Newest first. */
  runs: PlanAnalysisRunView[];
  widen: PlanWidenVerdictView[];
  /** Names of the nodes the runs mention (canary and baseline ids → names). */
  nodeNames: Record<string, string>;
  /** ROLLBOOK_ANALYSIS_TIME_SCALE: trend times are fleet minutes; divide by this for wall-clock minutes. */
  timeScale: number;
}
