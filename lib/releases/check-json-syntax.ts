export type JsonSyntaxError = { offset: number; message: string };

type Frame = { kind: "object"; keys: Set<string> } | { kind: "array" };
type State = "value" | "first-element" | "next-element" | "first-key" | "next-key" | "after-value";

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const SIMPLE_ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);

function describe(char: string): string {
  return char === "'" ? `"'"` : `'${char}'`;
}

/**
 * Finds the first syntax error in a JSON text and where it is, or returns null for valid JSON.
 * JSON.parse does the actual parsing; this exists because V8's messages only sometimes carry a
 * position (Node 20: `Unexpected token '}', "..." is not valid JSON` has none) and because
 * JSON.parse keeps the last of duplicate keys, which in a reviewed manifest would let the text a
 * person reads differ from the data that is stored. Iterative, so deep nesting cannot overflow.
 */
export function checkJsonSyntax(text: string): JsonSyntaxError | null {
  const stack: Frame[] = [];
  let state: State = "value";
  let i = 0;

  // Returns the offset just past the closing quote, or an error.
  function scanString(start: number): number | JsonSyntaxError {
    let j = start + 1;
    for (;;) {
      if (j >= text.length) return { offset: start, message: "unterminated string" };
      const char = text.charAt(j);
      if (char === '"') return j + 1;
      if (char === "\\") {
        const escape = text.charAt(j + 1);
        if (SIMPLE_ESCAPES.has(escape)) j += 2;
        else if (escape === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) j += 6;
        else return { offset: j, message: "invalid escape sequence in string" };
      } else if (char.charCodeAt(0) < 0x20) {
        return { offset: j, message: "unescaped control character in string (write \\n, \\t, …)" };
      } else {
        j += 1;
      }
    }
  }

  for (;;) {
    while (i < text.length && WHITESPACE.has(text.charAt(i))) i += 1;
    const char = text.charAt(i);
    const top = stack.at(-1);

    if (state === "first-key" || state === "next-key") {
      if (i >= text.length) return { offset: i, message: "unexpected end of input: expected a property name" };
      if (char === "}") {
        if (state === "next-key") return { offset: i, message: "trailing comma before '}' is not allowed in JSON" };
        stack.pop();
        i += 1;
        state = "after-value";
        continue;
      }
      if (char !== '"') return { offset: i, message: `expected a double-quoted property name, found ${describe(char)}` };
      const end = scanString(i);
      if (typeof end !== "number") return end;
      const key = JSON.parse(text.slice(i, end)) as string;
      if (top?.kind === "object") {
        if (top.keys.has(key)) return { offset: i, message: `duplicate key "${key}"` };
        top.keys.add(key);
      }
      i = end;
      while (i < text.length && WHITESPACE.has(text.charAt(i))) i += 1;
      if (text.charAt(i) !== ":") return { offset: i, message: "expected ':' after the property name" };
      i += 1;
      state = "value";
      continue;
    }

    if (state === "after-value") {
      if (!top) return i < text.length ? { offset: i, message: "unexpected content after the JSON value" } : null;
      const close = top.kind === "object" ? "}" : "]";
      const what = top.kind === "object" ? "a property value" : "an array element";
      if (i >= text.length) return { offset: i, message: `unexpected end of input: expected ',' or '${close}'` };
      if (char === ",") {
        i += 1;
        state = top.kind === "object" ? "next-key" : "next-element";
      } else if (char === close) {
        stack.pop();
        i += 1;
      } else {
        return { offset: i, message: `expected ',' or '${close}' after ${what}, found ${describe(char)}` };
      }
      continue;
    }

    // A value is expected (top level, after ':' or inside an array).
    if (i >= text.length) return { offset: i, message: "unexpected end of input: expected a value" };
    if (char === "]" && state !== "value") {
      if (state === "next-element") return { offset: i, message: "trailing comma before ']' is not allowed in JSON" };
      stack.pop();
      i += 1;
      state = "after-value";
      continue;
    }
    if (char === "{") {
      stack.push({ kind: "object", keys: new Set() });
      i += 1;
      state = "first-key";
      continue;
    }
    if (char === "[") {
      stack.push({ kind: "array" });
      i += 1;
      state = "first-element";
      continue;
    }
    state = "after-value";
    if (char === '"') {
      const end = scanString(i);
      if (typeof end !== "number") return end;
      i = end;
      continue;
    }
    if (char === "-" || (char >= "0" && char <= "9")) {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(text);
      if (!match) return { offset: i, message: "invalid number" };
      i += match[0].length;
      continue;
    }
    const literal = ["true", "false", "null"].find((word) => text.startsWith(word, i));
    if (!literal)
      return { offset: i, message: `unexpected ${describe(char)}: expected a value (string, number, object, array, true, false or null)` };
    i += literal.length;
  }
}
