/**
 * The string that gets signed as the Standard Webhooks "payload". Method and path (with query)
 * are bound into it, so a captured signature for `POST /v1/actions/drain` cannot be replayed
 * against `/v1/actions/upgrade` or moved to another method, even with the same body.
 */
export function signedPayload(method: string, pathWithQuery: string, body: string): string {
  return `${method.toUpperCase()} ${pathWithQuery}\n${body}`;
}
