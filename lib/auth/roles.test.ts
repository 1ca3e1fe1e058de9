import { describe, expect, it } from "vitest";
import { ROLES, hasRole, isRole } from "./roles";

describe("hasRole", () => {
  it("grants a role its own rights and those of every lower role", () => {
    expect(hasRole("approver", "viewer")).toBe(true);
    expect(hasRole("approver", "operator")).toBe(true);
    expect(hasRole("approver", "approver")).toBe(true);
  });

  it("refuses the rights of higher roles", () => {
    expect(hasRole("viewer", "operator")).toBe(false);
    expect(hasRole("operator", "approver")).toBe(false);
    expect(hasRole("approver", "admin")).toBe(false);
  });

  it("is a total order: for any two roles exactly one direction holds unless equal", () => {
    for (const a of ROLES) {
      for (const b of ROLES) {
        const forward = hasRole(a, b);
        const backward = hasRole(b, a);
        expect(forward || backward).toBe(true);
        expect(forward && backward).toBe(a === b);
      }
    }
  });
});

describe("isRole", () => {
  it("accepts only the known role names", () => {
    expect(isRole("admin")).toBe(true);
    expect(isRole("root")).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });
});
