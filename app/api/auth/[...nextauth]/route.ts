// GET|POST /api/auth/* — next-auth's sign-in, callback, session and sign-out endpoints
import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/auth-options";

// next-auth 4 types its App Router handler loosely; this is the shape it actually accepts.
type RouteHandler = (request: Request, context: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;

function handler(request: Request, context: { params: Promise<{ nextauth: string[] }> }): Promise<Response> {
  const nextAuthHandler = NextAuth(authOptions()) as RouteHandler;
  return nextAuthHandler(request, context);
}

export { handler as GET, handler as POST };
