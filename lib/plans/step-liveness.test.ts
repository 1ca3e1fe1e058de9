import { describe, expect, it } from "vitest";
import { judgeStepLiveness, type StepJobFacts } from "./step-liveness";

const now = new Date("2026-12-01T20:00:00Z");
const secondsAgo = (s: number) => new Date(now.getTime() - s * 1000);
const settings = { heartbeatMs: 5_000, deadAfterMs: 15_000 };

function job(overrides: Partial<NonNullable<StepJobFacts["job"]>> = {}): NonNullable<StepJobFacts["job"]> {
  return {
    lockedBy: "worker-1",
    lockedAt: secondsAgo(40),
    runAt: secondsAgo(41),
    attempts: 1,
    maxAttempts: 5,
    lastError: null,
    ...overrides,
  };
}

function judge(facts: StepJobFacts, overrides: { planStatus?: "running" | "aborted" | "paused"; stepStatus?: "running" | "pending" } = {}) {
  return judgeStepLiveness({
    stepStatus: overrides.stepStatus ?? "running",
    planStatus: overrides.planStatus ?? "running",
    facts,
    now,
    ...settings,
  });
}

describe("judgeStepLiveness", () => {
  it("says nothing about steps that are not running", () => {
    expect(judge({ job: null, holder: null }, { stepStatus: "pending" })).toBeNull();
  });

  it("calls a step held by a beating instance working, with where and for how long", () => {
    expect(judge({ job: job(), holder: { hostname: "dash-a", pid: 41, beatAt: secondsAgo(3) } })).toEqual({
      state: "working",
      detail: "Running on dash-a (pid 41) for 40 s.",
    });
  });

  it("calls a step held by a silent instance stalled, since its last beat, and says when the job moves", () => {
    expect(judge({ job: job(), holder: { hostname: "dash-a", pid: 41, beatAt: secondsAgo(11) } })).toEqual({
      state: "stalled",
      sinceMs: 11_000,
      reason:
        "The dashboard instance running it (dash-a, pid 41) stopped answering 11 s ago. Its job goes to a live instance in about 4 s.",
    });
    expect(judge({ job: job(), holder: { hostname: "dash-a", pid: 41, beatAt: secondsAgo(30) } })).toMatchObject({
      state: "stalled",
      reason: expect.stringContaining("goes to the next live instance that checks") as string,
    });
  });

  it("calls a lock no instance claims stalled since it was taken", () => {
    expect(judge({ job: job({ lockedAt: secondsAgo(20) }), holder: null })).toEqual({
      state: "stalled",
      sinceMs: 20_000,
      reason: "Its job is held by a worker that no live dashboard instance claims (locked 20 s ago); it is released after 15 s of silence.",
    });
  });

  it("tells a queued or retrying job from one nobody picks up", () => {
    expect(judge({ job: job({ lockedBy: null, lockedAt: null, runAt: secondsAgo(1) }), holder: null })).toMatchObject({ state: "queued" });
    expect(
      judge({ job: job({ lockedBy: null, lockedAt: null, runAt: new Date(now.getTime() + 30_000), lastError: "db down" }), holder: null }),
    ).toEqual({
      state: "queued",
      detail: "Runs again in 30 s (attempt 2). Last error: db down",
    });
    expect(judge({ job: job({ lockedBy: null, lockedAt: null, runAt: secondsAgo(120) }), holder: null })).toMatchObject({
      state: "stalled",
      sinceMs: 120_000,
      reason: expect.stringContaining("no dashboard instance is taking jobs") as string,
    });
    expect(judge({ job: job({ lockedBy: null, lockedAt: null, attempts: 5, lastError: "boom" }), holder: null })).toMatchObject({
      state: "stalled",
      reason: "Its job failed 5 times and gave up. Last error: boom",
    });
  });

  it("calls a running step without a job stalled, and one of a finished plan interrupted", () => {
    expect(judge({ job: null, holder: null })).toMatchObject({
      state: "stalled",
      reason: expect.stringContaining("No job exists") as string,
    });
    expect(judge({ job: null, holder: null }, { planStatus: "aborted" })).toMatchObject({
      state: "interrupted",
      reason: expect.stringContaining("The plan is aborted") as string,
    });
  });
});
