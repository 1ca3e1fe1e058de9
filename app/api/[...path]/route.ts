// * /api/<unknown> — JSON 401 without a session, JSON 404 with one; never an HTML page
import { AppError } from "@/lib/app-error";
import { withAuth } from "@/lib/http/with-auth";

const notFound = withAuth<{ path: string[] }>(
  async (request) => {
    throw new AppError("not_found", `No API route ${request.method} ${new URL(request.url).pathname}.`);
  },
  { role: "viewer" },
);

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
