import { NextResponse } from "next/server";
import { z } from "zod";
import { readJsonBody, withAuth } from "@/lib/http/with-auth";
import { changeUserRole } from "@/lib/server/users";

const body = z.object({ role: z.string() });

// PUT /api/users/:userId/role — change someone's role, audited (admin)
export const PUT = withAuth<{ userId: string }>(
  async (request, { user, params }) => {
    const { role } = body.parse(await readJsonBody(request));
    return NextResponse.json({ user: await changeUserRole({ actor: user, userId: params.userId, role }) });
  },
  { role: "admin" },
);
