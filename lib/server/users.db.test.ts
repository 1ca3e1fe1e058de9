import { describe, expect, it } from "vitest";
import { createUser } from "@/prisma/factories";
import { db } from "./db";
import { authenticateWithPassword, findSessionUser } from "./users";

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
