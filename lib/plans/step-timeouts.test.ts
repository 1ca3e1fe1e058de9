import { describe, expect, it } from "vitest";
import { MIGRATION_UPGRADE_TIMEOUT_SECONDS, defaultStepTimeoutSeconds, stepTimeoutSeconds, stepTimeoutsSchema } from "./step-timeouts";

describe("stepTimeoutSeconds", () => {
  it("uses the kind's default when the plan sets nothing", () => {
    expect(stepTimeoutSeconds({ kind: "drain", overrides: {}, releaseMigratesMemory: false })).toBe(defaultStepTimeoutSeconds.drain);
    expect(stepTimeoutSeconds({ kind: "upgrade", overrides: {}, releaseMigratesMemory: false })).toBe(15 * 60);
  });

  it("gives an upgrade that migrates memory the field report's 30 minutes", () => {
    expect(stepTimeoutSeconds({ kind: "upgrade", overrides: {}, releaseMigratesMemory: true })).toBe(1800);
    expect(MIGRATION_UPGRADE_TIMEOUT_SECONDS).toBe(1800);
    // Only the upgrade runs the migration.
    expect(stepTimeoutSeconds({ kind: "restart", overrides: {}, releaseMigratesMemory: true })).toBe(defaultStepTimeoutSeconds.restart);
  });

  it("lets the plan's own value win, also over the migration default", () => {
    expect(stepTimeoutSeconds({ kind: "upgrade", overrides: { upgrade: 45 }, releaseMigratesMemory: true })).toBe(45);
  });
});

describe("stepTimeoutsSchema", () => {
  it("accepts per-kind whole seconds within bounds", () => {
    expect(stepTimeoutsSchema.parse({ upgrade: 600, widen: 10 })).toEqual({ upgrade: 600, widen: 10 });
  });

  it("refuses unknown kinds, fractions and out-of-range values with field paths", () => {
    const result = stepTimeoutsSchema.safeParse({ upgrad: 600, drain: 1.5, verify: 5, restart: 90_000 });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((issue) => issue.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["drain", "verify", "restart"]));
    expect(result.error!.issues.some((issue) => issue.code === "unrecognized_keys")).toBe(true);
  });
});
