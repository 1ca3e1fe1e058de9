/**
 * Roles are ordered: each includes the rights of the roles before it. Keeping the order in one
 * array means a new role is one line, and every check is `hasRole(user.role, "operator")`.
 */
export const ROLES = ["viewer", "operator", "approver", "admin"] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** True when `actual` grants at least the rights of `required`. */
export function hasRole(actual: Role, required: Role): boolean {
  return ROLES.indexOf(actual) >= ROLES.indexOf(required);
}

/** What each role may do, as shown to people on the sign-in page and in the README. */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: "reads the fleet, plans, timelines and exports",
  operator: "also registers nodes, drafts releases and plans, pauses and aborts rollouts",
  approver: "also approves plans, activates restarts and traffic widening, restores bookmarks",
  admin: "also manages users and roles",
};
