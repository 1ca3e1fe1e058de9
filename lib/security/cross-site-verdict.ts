/**
 * Whether a request to the JSON API may change anything: the server-side half of CSRF protection
 * (the browser's SameSite=Lax cookie is the other half, and not enough on its own: it lets
 * same-site pages and top-level navigations through, and depends on the browser).
 *
 * Rules, for POST/PUT/PATCH/DELETE only (reads are never refused here):
 * 1. `Origin` present: it must be one of `allowedOrigins` (NEXTAUTH_URL's origin and
 *    ROLLBOOK_ALLOWED_ORIGINS), or its host must equal the host the request was sent to
 *    (`X-Forwarded-Host`, else `Host`) — the same test Next.js applies to server actions. A browser
 *    cannot forge either header on a cross-site request. `Origin: null` (sandboxed frames, file:
 *    pages) is refused.
 * 2. No `Origin`, but `Sec-Fetch-Site`: only `same-origin` and `none` (typed by the user) pass;
 *    `same-site` is refused too, since a sibling subdomain is not necessarily ours.
 * 3. Neither header: not a browser (curl, scripts, automation), since browsers send `Origin` on
 *    every cross-site POST. Such a client can only use a cookie it was given on purpose, so it is
 *    allowed, as Rails, Django and Go's CrossOriginProtection do.
 * Then the body: with a `Content-Type` it must be `application/json` (a cross-site HTML form can
 * only send urlencoded, multipart or text/plain); without one the body must be empty.
 */
export type CrossSiteVerdict =
  | { ok: true }
  | { ok: false; status: 403; code: "cross_site_refused"; message: string }
  | { ok: false; status: 415; code: "unsupported_media_type"; message: string };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function refused(message: string): CrossSiteVerdict {
  return { ok: false, status: 403, code: "cross_site_refused", message };
}

/** The host the client addressed, as Next.js reads it for its server action check. */
function addressedHost(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  return (forwarded || headers.get("host"))?.toLowerCase() ?? null;
}

function originVerdict(origin: string, headers: Headers, allowedOrigins: readonly string[]): CrossSiteVerdict {
  if (origin === "null") return refused("Writes from an opaque origin (Origin: null) are refused.");
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return refused("The Origin header is not a valid origin.");
  }
  if (allowedOrigins.includes(url.origin)) return { ok: true };
  if (url.host === addressedHost(headers)) return { ok: true };
  return refused(`Writes from ${url.origin} are refused: it is not this dashboard's origin.`);
}

function hasBody(headers: Headers): boolean {
  const length = headers.get("content-length");
  return headers.has("transfer-encoding") || (length !== null && length.trim() !== "0");
}

export function crossSiteVerdict(request: Request, options: { allowedOrigins: readonly string[] }): CrossSiteVerdict {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return { ok: true };
  const { headers } = request;
  const origin = headers.get("origin");
  if (origin !== null) {
    const verdict = originVerdict(origin.trim(), headers, options.allowedOrigins);
    if (!verdict.ok) return verdict;
  } else {
    const site = headers.get("sec-fetch-site")?.trim().toLowerCase();
    if (site !== undefined && site !== "same-origin" && site !== "none") {
      return refused(`Cross-site writes are refused (Sec-Fetch-Site: ${site}).`);
    }
  }
  const contentType = headers.get("content-type");
  const mediaType = contentType?.split(";")[0]?.trim().toLowerCase();
  if (contentType !== null ? mediaType !== "application/json" : hasBody(headers)) {
    return {
      ok: false,
      status: 415,
      code: "unsupported_media_type",
      message: "Send the request body as JSON with Content-Type: application/json.",
    };
  }
  return { ok: true };
}
