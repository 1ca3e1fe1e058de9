import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkJsonSyntax } from "./check-json-syntax";
import { textPosition } from "./text-position";

describe("checkJsonSyntax", () => {
  it.each([
    ['{"a":}', 5, "unexpected '}': expected a value (string, number, object, array, true, false or null)"],
    ['{"a": 1,}', 8, "trailing comma before '}' is not allowed in JSON"],
    ["[1, 2,]", 6, "trailing comma before ']' is not allowed in JSON"],
    ['{\n  "a": 1\n  "b": 2\n}', 13, "expected ',' or '}' after a property value, found '\"'"],
    ['{"a": tru}', 6, "unexpected 't': expected a value (string, number, object, array, true, false or null)"],
    ["[1, 2", 5, "unexpected end of input: expected ',' or ']'"],
    ['{"a": 1} x', 9, "unexpected content after the JSON value"],
    ["{a: 1}", 1, "expected a double-quoted property name, found 'a'"],
    ['{"a" 1}', 5, "expected ':' after the property name"],
    ['"\\x"', 1, "invalid escape sequence in string"],
    ['"\\u12G4"', 1, "invalid escape sequence in string"],
    ['{"a": "b\nc"}', 8, "unescaped control character in string (write \\n, \\t, …)"],
    ['{"a": "b', 6, "unterminated string"],
    ["-", 0, "invalid number"],
    ["", 0, "unexpected end of input: expected a value"],
    ['{"a": 1, "b": 2, "a": 3}', 17, 'duplicate key "a"'],
    ['{"a": 1, "\\u0061": 3}', 9, 'duplicate key "a"'],
  ])("finds the error in %j at offset %i", (text, offset, message) => {
    expect(checkJsonSyntax(text)).toEqual({ offset, message });
  });

  it("accepts the same key in different objects and valid JSON of every kind", () => {
    expect(checkJsonSyntax('{"a": {"a": 1}, "b": [{"a": 2}, {"a": 3}]}')).toBeNull();
    expect(checkJsonSyntax(' [true, false, null, -0.5e+3, "\\u00e9\\n", {}, []] ')).toBeNull();
  });

  it("does not overflow on deep nesting", () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    expect(checkJsonSyntax(deep)).toBeNull();
    expect(checkJsonSyntax(deep.slice(0, -1))).toEqual({ offset: 199_999, message: "unexpected end of input: expected ',' or ']'" });
  });

  it("accepts whatever JSON.stringify writes", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2), (value, indent) => {
        expect(checkJsonSyntax(JSON.stringify(value, null, indent))).toBeNull();
      }),
    );
  });

  it("agrees with JSON.parse on arbitrary token soup (apart from duplicate keys, which it refuses)", () => {
    const token = fc.constantFrom("{", "}", "[", "]", ",", ":", " ", "\n", '"a"', '"b"', "1", "-2.5e3", "01", "true", "nul", '"\\q"', "x");
    fc.assert(
      fc.property(fc.array(token, { maxLength: 14 }), (tokens) => {
        const text = tokens.join("");
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        const problem = checkJsonSyntax(text);
        if (parses) expect(problem === null || problem.message.startsWith("duplicate key")).toBe(true);
        else expect(problem).not.toBeNull();
      }),
      { numRuns: 3000 },
    );
  });
});

describe("textPosition", () => {
  it("counts 1-based lines and columns", () => {
    const text = "ab\ncd\r\nef";
    expect(textPosition(text, 0)).toEqual({ line: 1, column: 1 });
    expect(textPosition(text, 2)).toEqual({ line: 1, column: 3 });
    expect(textPosition(text, 3)).toEqual({ line: 2, column: 1 });
    expect(textPosition(text, 7)).toEqual({ line: 3, column: 1 });
    expect(textPosition(text, 99)).toEqual({ line: 3, column: 3 });
  });
});
