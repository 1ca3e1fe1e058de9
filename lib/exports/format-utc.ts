/**
 * "2026-11-23 10:03:00" from an ISO timestamp, always in UTC: incident reviews compare clocks
 * across people and servers, and a local time zone would make the same export read differently.
 * An unparseable value comes back unchanged so a bad row still shows what it holds.
 */
export function formatUtc(value: string | Date): string {
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  return date.toISOString().slice(0, 19).replace("T", " ");
}
