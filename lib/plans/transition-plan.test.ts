import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  allowedPlanEvents,
  planEvents,
  planStatuses,
  terminalPlanStatuses,
  transitionPlan,
  type PlanEvent,
  type PlanStatus,
} from "./transition-plan";

// The full table written out independently of the implementation: anything not listed is illegal.
const EXPECTED: Record<string, PlanStatus> = {
  "draft approve": "approved",
  "draft abort": "aborted",
  "approved start": "running",
  "approved abort": "aborted",
  "approved begin_rollback": "rolling_back",
  "running pause": "paused",
  "running complete": "completed",
  "running abort": "aborted",
  "running begin_rollback": "rolling_back",
  "paused resume": "running",
  "paused abort": "aborted",
  "paused begin_rollback": "rolling_back",
  "rolling_back roll_back": "rolled_back",
  "rolling_back rollback_failed": "paused",
};

describe("transitionPlan", () => {
  it("matches the transition table for every status and event", () => {
    for (const status of planStatuses) {
      for (const event of planEvents) {
        const result = transitionPlan(status, event);
        const expected = EXPECTED[`${status} ${event}`];
        if (expected) expect(result).toEqual({ ok: true, status: expected });
        else expect(result).toMatchObject({ ok: false, error: { code: "illegal_transition", machine: "plan", from: status, event } });
      }
    }
  });

  it("explains an illegal move with what is allowed instead", () => {
    expect(transitionPlan("paused", "pause")).toEqual({
      ok: false,
      error: {
        code: "illegal_transition",
        machine: "plan",
        from: "paused",
        event: "pause",
        allowed: ["resume", "abort", "begin_rollback"],
        message: "A paused plan can't pause; it can resume, abort, begin rollback.",
      },
    });
    expect(transitionPlan("rolled_back", "resume")).toMatchObject({
      ok: false,
      error: { allowed: [], message: "The plan is rolled back; nothing can change it any more." },
    });
  });

  it("lists allowed events per status", () => {
    expect(allowedPlanEvents("draft")).toEqual(["approve", "abort"]);
    expect(allowedPlanEvents("running")).toEqual(["pause", "complete", "abort", "begin_rollback"]);
    expect(allowedPlanEvents("rolling_back")).toEqual(["roll_back", "rollback_failed"]);
    expect(allowedPlanEvents("completed")).toEqual([]);
  });

  it("refuses to abort a plan while its rollback runs", () => {
    expect(transitionPlan("rolling_back", "abort")).toMatchObject({ ok: false, error: { allowed: ["roll_back", "rollback_failed"] } });
  });
});

/** Applies events in order, ignoring illegal ones (as a careful runner would), and records the path. */
function walk(events: PlanEvent[]) {
  const path: PlanStatus[] = ["draft"];
  let status: PlanStatus = "draft";
  for (const event of events) {
    const result = transitionPlan(status, event);
    if (result.ok) status = result.status;
    else expect(result.error.from).toBe(status);
    path.push(status);
  }
  return path;
}

const eventsArb = fc.array(fc.constantFrom(...planEvents), { maxLength: 40 });

describe("transitionPlan properties", () => {
  it("never leaves a terminal status", () => {
    fc.assert(
      fc.property(eventsArb, (events) => {
        const path = walk(events);
        const firstTerminal = path.findIndex((s) => terminalPlanStatuses.includes(s));
        if (firstTerminal >= 0) expect(new Set(path.slice(firstTerminal))).toEqual(new Set([path[firstTerminal]]));
      }),
    );
  });

  it("only runs, pauses, completes or rolls back after an approval, and completes only from running", () => {
    fc.assert(
      fc.property(eventsArb, (events) => {
        const path = walk(events);
        for (const [i, status] of path.entries()) {
          if (["running", "paused", "rolling_back", "completed", "rolled_back"].includes(status))
            expect(path.slice(0, i)).toContain("approved");
          if (status === "rolled_back" && path[i - 1] !== "rolled_back") expect(path[i - 1]).toBe("rolling_back");
          if (status === "completed" && path[i - 1] !== "completed") expect(path[i - 1]).toBe("running");
          if (status === "approved") expect(path.slice(0, i).every((s) => s === "draft" || s === "approved")).toBe(true);
        }
      }),
    );
  });

  it("changes status only through a legal event, and an illegal one changes nothing", () => {
    fc.assert(
      fc.property(fc.constantFrom(...planStatuses), fc.constantFrom(...planEvents), (status, event) => {
        const result = transitionPlan(status, event);
        expect(result.ok).toBe(allowedPlanEvents(status).includes(event));
        if (result.ok) expect(planStatuses).toContain(result.status);
      }),
    );
  });
});
