import { AppError } from "@/lib/app-error";
import { approvalsRequiredSchema } from "./plan-draft-schema";

export type ApprovalRefusal = "author_cannot_approve" | "already_approved_by_you" | "already_fully_approved";

export type ApprovalDecision =
  | {
      ok: true;
      /** True when this approval is the one that reaches the required count: fire `approve`. */
      approvedNow: boolean;
      /** Distinct approvals counted after this one. */
      approvals: number;
      reason: null;
    }
  | { ok: false; approvedNow: false; approvals: number; reason: ApprovalRefusal; message: string };

/**
 * Decides whether one approver's approval counts. Four eyes: the author can't approve their own
 * plan, and one person approving twice is still one approval. The caller checks the approver's
 * role and that the plan is a draft; this only does the counting, so it can be tested exhaustively.
 */
export function evaluateApproval(input: {
  authorId: string;
  approverId: string;
  existingApproverIds: readonly string[];
  approvalsRequired: number;
}): ApprovalDecision {
  const required = approvalsRequiredSchema.safeParse(input.approvalsRequired);
  if (!required.success) throw new AppError("internal", `The plan requires ${input.approvalsRequired} approvals; expected 1..5.`);

  // Count distinct people other than the author, so a bad row can't inflate the count.
  const counted = new Set(input.existingApproverIds.filter((id) => id !== input.authorId));
  const approvals = counted.size;

  if (input.approverId === input.authorId) {
    return {
      ok: false,
      approvedNow: false,
      approvals,
      reason: "author_cannot_approve",
      message: "You wrote this plan; someone else has to approve it.",
    };
  }
  if (counted.has(input.approverId)) {
    return {
      ok: false,
      approvedNow: false,
      approvals,
      reason: "already_approved_by_you",
      message: "You already approved this plan; another approver is needed.",
    };
  }
  if (approvals >= required.data) {
    return {
      ok: false,
      approvedNow: false,
      approvals,
      reason: "already_fully_approved",
      message: "This plan already has all the approvals it needs.",
    };
  }
  return { ok: true, approvedNow: approvals + 1 === required.data, approvals: approvals + 1, reason: null };
}
