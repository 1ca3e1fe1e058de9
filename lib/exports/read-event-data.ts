/** Typed, forgiving reads of an audit event's `data`, which is stored JSON and typed `unknown`. */
export interface EventData {
  str(key: string): string | null;
  num(key: string): number | null;
  bool(key: string): boolean | null;
  /** Array elements that are strings; others are dropped. */
  strings(key: string): string[];
  /** Array elements that are plain objects, each readable the same way. */
  records(key: string): EventData[];
  /** The raw value under `key`, for formatting values whose type varies (gate observations). */
  raw(key: string): unknown;
}

/**
 * Old events outlive the code that wrote them, so readers never trust a field's shape: a missing
 * or mistyped field reads as null and the sentence built from it degrades instead of throwing.
 */
export function readEventData(data: unknown): EventData {
  const record: Record<string, unknown> = isRecord(data) ? data : {};
  const raw = (key: string): unknown => (Object.hasOwn(record, key) ? record[key] : undefined);
  return {
    raw,
    str: (key) => {
      const value = raw(key);
      return typeof value === "string" ? value : null;
    },
    num: (key) => {
      const value = raw(key);
      return typeof value === "number" && Number.isFinite(value) ? value : null;
    },
    bool: (key) => {
      const value = raw(key);
      return typeof value === "boolean" ? value : null;
    },
    strings: (key) => {
      const value = raw(key);
      return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
    },
    records: (key) => {
      const value = raw(key);
      return Array.isArray(value) ? value.filter(isRecord).map(readEventData) : [];
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
