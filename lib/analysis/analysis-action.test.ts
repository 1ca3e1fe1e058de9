import { describe, expect, it } from "vitest";
import { analysisAction } from "./analysis-action";

describe("analysisAction", () => {
  it("maps each decision to what the engine does", () => {
    expect(analysisAction({ phase: "before_widen", decision: "pass", autoRollback: true })).toBe("widen");
    expect(analysisAction({ phase: "end_of_hold", decision: "pass", autoRollback: false })).toBe("widen");
    expect(analysisAction({ phase: "watch", decision: "pass", autoRollback: true })).toBe("keep_holding");
    expect(analysisAction({ phase: "before_widen", decision: "marginal", autoRollback: true })).toBe("pause");
    expect(analysisAction({ phase: "watch", decision: "inconclusive", autoRollback: true })).toBe("pause");
    expect(analysisAction({ phase: "before_widen", decision: "fail", autoRollback: true })).toBe("rollback");
    expect(analysisAction({ phase: "watch", decision: "fail", autoRollback: false })).toBe("pause");
  });
});
