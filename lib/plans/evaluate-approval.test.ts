import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/app-error";
import { evaluateApproval } from "./evaluate-approval";

describe("evaluateApproval", () => {
  it("approves the plan with the last required approval", () => {
    expect(evaluateApproval({ authorId: "ann", approverId: "bob", existingApproverIds: [], approvalsRequired: 1 })).toEqual({
      ok: true,
      approvedNow: true,
      approvals: 1,
      reason: null,
    });
    expect(evaluateApproval({ authorId: "ann", approverId: "bob", existingApproverIds: [], approvalsRequired: 2 })).toEqual({
      ok: true,
      approvedNow: false,
      approvals: 1,
      reason: null,
    });
    expect(evaluateApproval({ authorId: "ann", approverId: "cid", existingApproverIds: ["bob"], approvalsRequired: 2 })).toMatchObject({
      ok: true,
      approvedNow: true,
      approvals: 2,
    });
  });

  it("refuses the author", () => {
    expect(evaluateApproval({ authorId: "ann", approverId: "ann", existingApproverIds: [], approvalsRequired: 1 })).toEqual({
      ok: false,
      approvedNow: false,
      approvals: 0,
      reason: "author_cannot_approve",
      message: "You wrote this plan; someone else has to approve it.",
    });
  });

  it("doesn't count the same approver twice", () => {
    expect(evaluateApproval({ authorId: "ann", approverId: "bob", existingApproverIds: ["bob"], approvalsRequired: 2 })).toMatchObject({
      ok: false,
      approvedNow: false,
      approvals: 1,
      reason: "already_approved_by_you",
    });
  });

  it("ignores duplicate and author rows when counting, and refuses approvals beyond the requirement", () => {
    expect(
      evaluateApproval({ authorId: "ann", approverId: "cid", existingApproverIds: ["bob", "bob", "ann"], approvalsRequired: 2 }),
    ).toMatchObject({
      ok: true,
      approvedNow: true,
      approvals: 2,
    });
    expect(
      evaluateApproval({ authorId: "ann", approverId: "dan", existingApproverIds: ["bob", "cid"], approvalsRequired: 2 }),
    ).toMatchObject({
      ok: false,
      reason: "already_fully_approved",
      approvals: 2,
    });
  });

  it("refuses a requirement outside 1..5 as a bug", () => {
    expect(() => evaluateApproval({ authorId: "a", approverId: "b", existingApproverIds: [], approvalsRequired: 0 })).toThrow(AppError);
    expect(() => evaluateApproval({ authorId: "a", approverId: "b", existingApproverIds: [], approvalsRequired: 6 })).toThrow(AppError);
  });

  it("reaches approval exactly once, after `required` distinct non-authors, whatever the order of attempts", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.constantFrom("ann", "bob", "cid", "dan", "eve", "fay", "gus"), { maxLength: 30 }),
        (required, attempts) => {
          const approvers: string[] = [];
          let approvedAt = -1;
          for (const [i, approverId] of attempts.entries()) {
            const decision = evaluateApproval({ authorId: "ann", approverId, existingApproverIds: approvers, approvalsRequired: required });
            if (decision.ok) approvers.push(approverId);
            if (decision.approvedNow) {
              expect(approvedAt).toBe(-1);
              approvedAt = i;
            }
          }
          expect(approvers).not.toContain("ann");
          expect(new Set(approvers).size).toBe(approvers.length);
          expect(approvers.length).toBeLessThanOrEqual(required);
          expect(approvedAt >= 0).toBe(approvers.length === required);
        },
      ),
    );
  });
});
