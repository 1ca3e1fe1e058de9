import "server-only";
import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { AppError, httpStatusFor, isAppError } from "@/lib/app-error";
import type { Role } from "@/lib/auth/roles";
import { serverEnv } from "@/lib/env";
import { crossSiteVerdict } from "@/lib/security/cross-site-verdict";
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

/** The origins browsers may send writes from: NEXTAUTH_URL's and ROLLBOOK_ALLOWED_ORIGINS. */
function allowedWriteOrigins(): string[] {
  const env = serverEnv();
  return [...(env.NEXTAUTH_URL ? [new URL(env.NEXTAUTH_URL).origin] : []), ...env.ROLLBOOK_ALLOWED_ORIGINS];
}

/**
 * Refuses a write that a browser sent from another site (403) or whose body is not declared JSON
 * (415), before the session is even read, so nothing runs. Reads pass untouched.
 */
export function refuseCrossSiteWrite(request: Request): NextResponse<ErrorBody> | null {
  const verdict = crossSiteVerdict(request, { allowedOrigins: allowedWriteOrigins() });
  if (verdict.ok) return null;
  return NextResponse.json({ error: { code: verdict.code, message: verdict.message } }, { status: verdict.status });
}

/**
 * Wraps a route handler: refuses cross-site writes, checks the session and role on the server
 * (401/403 JSON, never a redirect), then maps any thrown error to JSON in one place.
 */
export function withAuth<P = Record<string, never>>(
  handler: (request: Request, context: { user: SessionUser; params: P }) => Promise<Response>,
  options: { role: Role },
) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      const refusal = refuseCrossSiteWrite(request);
      if (refusal) return refusal;
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
