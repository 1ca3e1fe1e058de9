import { describe, expect, it } from "vitest";
import { createUser } from "@/prisma/factories";
import { db } from "./db";
import { authenticateWithPassword, changeUserRole, findSessionUser } from "./users";

describe("authenticateWithPassword", () => {
  it("returns the user for the right password and records the sign-in", async () => {
    const user = await createUser(db, { role: "operator" });
    const result = await authenticateWithPassword({ email: user.email.toUpperCase(), password: user.password });
    expect(result).toEqual({ id: user.id, email: user.email, name: user.name, role: "operator" });
    const events = await db.auditEvent.findMany({ where: { kind: "auth.signed_in" } });
    expect(events.map((event) => event.actorId)).toEqual([user.id]);
  });

  it("returns null for a wrong password and records the failed attempt without a session actor", async () => {
    const user = await createUser(db);
    await expect(authenticateWithPassword({ email: user.email, password: `${user.password}x` })).resolves.toBeNull();
    const failed = await db.auditEvent.findMany({ where: { kind: "auth.sign_in_failed" } });
    expect(failed).toHaveLength(1);
    expect(failed[0]?.actorId).toBeNull();
    expect(failed[0]?.data).toEqual({ email: user.email });
  });

  it("returns null for an unknown email and for malformed input", async () => {
    await expect(authenticateWithPassword({ email: "nobody@example.test", password: "x" })).resolves.toBeNull();
    await expect(authenticateWithPassword({ email: "not-an-email", password: "x" })).resolves.toBeNull();
    await expect(authenticateWithPassword({ email: ["a@b.c"], password: 42 })).resolves.toBeNull();
    await expect(authenticateWithPassword(null)).resolves.toBeNull();
  });
});

describe("findSessionUser", () => {
  it("reads the current role, so a demotion applies on the next request", async () => {
    const user = await createUser(db, { role: "admin" });
    await db.user.update({ where: { id: user.id }, data: { role: "viewer" } });
    await expect(findSessionUser(user.id)).resolves.toMatchObject({ role: "viewer" });
  });
});

describe("changeUserRole", () => {
  it("lets an admin change a role, audited, and refuses everyone else", async () => {
    const admin = await createUser(db, { role: "admin" });
    const approver = await createUser(db, { role: "approver" });
    const target = await createUser(db, { role: "viewer" });
    await expect(changeUserRole({ actor: approver, userId: target.id, role: "admin" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(changeUserRole({ actor: admin, userId: target.id, role: "root" })).rejects.toThrow("Choose viewer");
    await changeUserRole({ actor: admin, userId: target.id, role: "operator" });
    expect((await findSessionUser(target.id))?.role).toBe("operator");
    const event = await db.auditEvent.findFirstOrThrow({ where: { kind: "user.role_changed" } });
    expect(event).toMatchObject({ actorId: admin.id, data: { user: target.email, from: "viewer", to: "operator" } });
  });

  it("does not let an admin remove their own admin role", async () => {
    const admin = await createUser(db, { role: "admin" });
    await expect(changeUserRole({ actor: admin, userId: admin.id, role: "viewer" })).rejects.toMatchObject({ code: "conflict" });
  });
});
