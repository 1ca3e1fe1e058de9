/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, and JSON.stringify's
 * own number/string encoding (which is what RFC 8785 prescribes for the values we emit).
 * Two peers that hold equal data therefore produce byte-identical text, so a hash over it can be
 * compared across nodes and recomputed by the dashboard.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      // NaN/Infinity would silently become "null" and make different states hash alike.
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number ${value}`);
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(",")}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        // `undefined` members are dropped, exactly like JSON.stringify does.
        .filter(([, member]) => member !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(",")}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode ${typeof value}`);
  }
}
