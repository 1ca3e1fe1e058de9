import { z } from "zod";
import { withAuth } from "@/lib/http/with-auth";
import { exportIncident } from "@/lib/server/exports/export-incident";

// A time without a zone (what a datetime-local field sends) is read as UTC, as the form says.
const utcDate = (field: string) =>
  z
    .string()
    .transform((value) => new Date(/(?:[zZ]|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value}Z`))
    .pipe(z.date({ error: `${field} must be a date, e.g. 2026-11-23T10:00:00Z` }));

const query = z.object({ format: z.enum(["md", "json", "csv"]).default("csv"), from: utcDate("from"), to: utcDate("to") });

// GET /api/timeline/export?format=md|json|csv&from=&to= — every event in a time window, streamed (viewer)
export const GET = withAuth(
  async (request, { user }) => {
    const { format, from, to } = query.parse(Object.fromEntries(new URL(request.url).searchParams));
    return exportIncident({ actor: user, scope: { from, to }, format });
  },
  { role: "viewer" },
);
