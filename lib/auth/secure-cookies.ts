/**
 * Whether session cookies carry `Secure` (and the `__Secure-` / `__Host-` name prefixes): when the
 * dashboard is served over https. next-auth 4 derives the same when `useSecureCookies` is not given
 * (core/init.js: `url.base.startsWith("https://")`, the base being NEXTAUTH_URL), and so does
 * `getToken` in proxy.ts; saying it ourselves keeps the two in step and the choice visible.
 */
export function secureCookies(nextAuthUrl: string | undefined): boolean {
  return nextAuthUrl?.startsWith("https://") ?? false;
}
