import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/app-error";
import { freshBaselineOf, requireFreshBaseline } from "./fresh-baseline";

describe("the fresh baseline", () => {
  it("is the next wave's first node, restarted by the canary wave's first node", () => {
    expect(
      freshBaselineOf([
        { index: 0, nodeIds: ["canary-a", "canary-b"] },
        { index: 1, nodeIds: ["stable-a", "stable-b"] },
        { index: 2, nodeIds: ["stable-c"] },
      ]),
    ).toEqual({ nodeId: "stable-a", carrierNodeId: "canary-a" });
  });

  it("does not exist in a one-wave plan, and asking for one there is a field error", () => {
    expect(freshBaselineOf([{ index: 0, nodeIds: ["only"] }])).toBeNull();
    expect(() => requireFreshBaseline([{ index: 0, nodeIds: ["only"] }])).toThrow(AppError);
    try {
      requireFreshBaseline([{ index: 0, nodeIds: ["only"] }]);
    } catch (error) {
      expect((error as AppError).fieldErrors).toEqual({
        "analysis.freshBaseline": ["A fresh baseline is a node of the next wave restarted with the canary; this plan has one wave"],
      });
    }
  });
});
