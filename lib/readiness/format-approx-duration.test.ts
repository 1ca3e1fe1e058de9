import { describe, expect, it } from "vitest";
import { formatApproxDuration } from "./format-approx-duration";

const S = 1_000;
const MIN = 60 * S;
const H = 60 * MIN;

describe("formatApproxDuration", () => {
  it.each([
    [0, "0 s"],
    [59_499, "59 s"],
    [59_500, "1 min"],
    [9.49 * MIN, "9 min"],
    [9.5 * MIN, "10 min"],
    [37 * MIN, "35 min"],
    [38 * MIN, "40 min"],
    [57.4 * MIN, "55 min"],
    [57.5 * MIN, "1 h"],
    [2 * H + 20 * MIN, "2 h"],
    [47.4 * H, "47 h"],
    [47.5 * H, "2 d"],
    [-3 * S, "3 s"],
  ])("formats %d ms as %s", (ms, text) => {
    expect(formatApproxDuration(ms)).toBe(text);
  });
});
