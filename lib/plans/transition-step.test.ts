import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PlanStepMode } from "./plan-step-kinds";
import {
  allowedStepEvents,
  stepEvents,
  stepStatuses,
  terminalStepStatuses,
  transitionStep,
  type StepEvent,
  type StepStatus,
} from "./transition-step";

const EXPECTED: Record<string, StepStatus> = {
  "prepare pending begin": "running",
  "prepare pending skip": "skipped",
  "prepare running succeed": "succeeded",
  "prepare running fail": "failed",
  "prepare running hand_back": "pending",
  "prepare failed retry": "running",
  "activate pending step_ready": "awaiting_activation",
  "activate pending skip": "skipped",
  "activate awaiting_activation activate": "running",
  "activate awaiting_activation skip": "skipped",
  "activate running succeed": "succeeded",
  "activate running fail": "failed",
  "activate running hand_back": "awaiting_activation",
  "activate failed retry": "running",
};

const modes: PlanStepMode[] = ["prepare", "activate"];

describe("transitionStep", () => {
  it("matches the transition table for every mode, status and event", () => {
    for (const mode of modes) {
      for (const status of stepStatuses) {
        for (const event of stepEvents) {
          const expected = EXPECTED[`${mode} ${status} ${event}`];
          const result = transitionStep(status, event, mode);
          if (expected) expect(result).toEqual({ ok: true, status: expected });
          else expect(result).toMatchObject({ ok: false, error: { code: "illegal_transition", machine: "step", from: status, event } });
        }
      }
    }
  });

  it("won't begin an activate step without the click", () => {
    expect(transitionStep("pending", "begin", "activate")).toEqual({
      ok: false,
      error: {
        code: "illegal_transition",
        machine: "step",
        from: "pending",
        event: "begin",
        allowed: ["step_ready", "skip"],
        message: "A pending activate step can't begin; it can step ready, skip.",
      },
    });
    expect(transitionStep("pending", "step_ready", "prepare")).toMatchObject({ ok: false, error: { allowed: ["begin", "skip"] } });
    expect(transitionStep("succeeded", "skip", "prepare")).toMatchObject({
      ok: false,
      error: { message: "The prepare step is succeeded; nothing can change it any more." },
    });
  });
});

function walk(mode: PlanStepMode, events: StepEvent[]) {
  const path: { status: StepStatus; event: StepEvent | null }[] = [{ status: "pending", event: null }];
  let status: StepStatus = "pending";
  for (const event of events) {
    const result = transitionStep(status, event, mode);
    if (result.ok) {
      status = result.status;
      path.push({ status, event });
    }
  }
  return path;
}

const arb = fc.tuple(fc.constantFrom(...modes), fc.array(fc.constantFrom(...stepEvents), { maxLength: 30 }));

describe("transitionStep properties", () => {
  it("reaches running only by begin (prepare), by activate after awaiting (activate), or by a retry after a failure", () => {
    fc.assert(
      fc.property(arb, ([mode, events]) => {
        const path = walk(mode, events);
        for (const [i, step] of path.entries()) {
          if (step.status === "awaiting_activation") expect(mode).toBe("activate");
          if (step.status === "running" && step.event === "retry") expect(path[i - 1]?.status).toBe("failed");
          else if (step.status === "running") {
            if (mode === "prepare") expect(step.event).toBe("begin");
            else expect([step.event, path[i - 1]?.status]).toEqual(["activate", "awaiting_activation"]);
          }
          if (step.status === "succeeded" || step.status === "failed") expect(path[i - 1]?.status).toBe("running");
          if (step.status === "skipped") expect(["pending", "awaiting_activation"]).toContain(path[i - 1]?.status);
          if (step.event === "hand_back") expect(path[i - 1]?.status).toBe("running");
        }
      }),
    );
  });

  it("absorbs in succeeded and skipped; failed leaves only by retry", () => {
    fc.assert(
      fc.property(arb, ([mode, events]) => {
        const path = walk(mode, events);
        const end = path.findIndex((s) => terminalStepStatuses.includes(s.status));
        if (end >= 0) expect(path.length).toBe(end + 1);
        for (const status of terminalStepStatuses) expect(allowedStepEvents(status, mode)).toEqual([]);
        expect(allowedStepEvents("failed", mode)).toEqual(["retry"]);
      }),
    );
  });
});
