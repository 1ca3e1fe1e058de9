/**
 * JSON text of an event's data that cannot throw: stored data is JSON already, but an export
 * must not die halfway through a download because one value (a BigInt from a future writer, a
 * cycle in a hand-built test event) does not serialise. Such a value is written as its string.
 */
export function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return String(value);
  }
}
