import type { Role } from "@/lib/auth/roles";

/**
 * The demo accounts, one per role. Printed by `npm run demo`, listed in the README, shown on the
 * sign-in page in demo mode, and used by the end-to-end tests.
 */
export const DEMO_USERS: ReadonlyArray<{ email: string; name: string; role: Role; password: string }> = [
  { email: "admin@rollbook.local", name: "Ada Admin", role: "admin", password: "rollbook-admin" },
  { email: "approver@rollbook.local", name: "Avery Approver", role: "approver", password: "rollbook-approver" },
  { email: "approver2@rollbook.local", name: "Blake Approver", role: "approver", password: "rollbook-approver2" },
  { email: "operator@rollbook.local", name: "Olu Operator", role: "operator", password: "rollbook-operator" },
  { email: "viewer@rollbook.local", name: "Vic Viewer", role: "viewer", password: "rollbook-viewer" },
];
