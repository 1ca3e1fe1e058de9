import "server-only";
import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { AppError, httpStatusFor, isAppError } from "@/lib/app-error";
import type { Role } from "@/lib/auth/roles";
import { requireUserOrThrow } from "@/lib/server/session";
import type { SessionUser } from "@/lib/server/users";
import { zodFieldErrors } from "./zod-field-errors";

export interface ErrorBody {
  error: { code: string; message: string; fieldErrors?: Record<string, string[]> };
}

/** The single place where errors become HTTP responses for JSON clients. */
export function errorResponse(error: unknown): NextResponse<ErrorBody> {
  if (isAppError(error)) {
    const body: ErrorBody = {
      error: { code: error.code, message: error.message, ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}) },
    };
    return NextResponse.json(body, { status: httpStatusFor(error.code) });
  }
  if (error instanceof ZodError) {
    return errorResponse(new AppError("invalid_input", "The request is not valid.", { fieldErrors: zodFieldErrors(error) }));
  }
  console.error("Unhandled error in route handler", error);
  return NextResponse.json({ error: { code: "internal", message: "Something went wrong on our side." } }, { status: 500 });
}

type RouteContext<P> = { params: Promise<P> };

/**
 * Wraps a route handler: checks the session and role on the server (401/403 JSON, never a redirect),
 * then maps any thrown error to JSON in one place.
 */
export function withAuth<P = Record<string, never>>(
  handler: (request: Request, context: { user: SessionUser; params: P }) => Promise<Response>,
  options: { role: Role },
) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      const user = await requireUserOrThrow(options.role);
      return await handler(request, { user, params: await context.params });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** Reads a JSON body, turning unparsable input into a 400 instead of a crash. */
export async function readJsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new AppError("invalid_input", "The request body must be JSON.");
  }
}
