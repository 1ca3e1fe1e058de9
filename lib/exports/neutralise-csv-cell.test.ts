import { describe, expect, it } from "vitest";
import { neutraliseCsvCell } from "./neutralise-csv-cell";

describe("neutraliseCsvCell", () => {
  it.each([
    ["=1+1", "'=1+1"],
    ["+41 79 000 00 00", "'+41 79 000 00 00"],
    ["-12.5", "'-12.5"],
    ["@SUM(A1:A9)", "'@SUM(A1:A9)"],
    ["\t=cmd", "'\t=cmd"],
    ["\r=cmd", "'\r=cmd"],
    ["\0x", "'\0x"],
    ["\uFF1D1+1", "'\uFF1D1+1"],
    ["  =1+1", "'  =1+1"],
  ])("prefixes %j with a single quote", (input, expected) => {
    expect(neutraliseCsvCell(input)).toBe(expected);
  });

  it.each(["", "seq", "2026-11-23T10:00:00.000Z", "a=b", "bob@ops.example", '{"a":-1}', "'=already quoted", "   ", "12.5"])(
    "leaves %j alone",
    (input) => {
      expect(neutraliseCsvCell(input)).toBe(input);
    },
  );
});
