import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/app-error";
import { downsampleSeries, type SeriesPoint } from "./downsample-series";

function series(values: number[]): SeriesPoint[] {
  return values.map((v, t) => ({ t, v }));
}

/** Sorted series with distinct times (gaps of 1..5 s), finite values. */
const sortedSeries = fc
  .array(fc.record({ gap: fc.integer({ min: 1, max: 5_000 }), v: fc.double({ min: -1e6, max: 1e6, noNaN: true }) }), { maxLength: 300 })
  .map((steps) => {
    let t = 1_790_000_000_000;
    return steps.map(({ gap, v }) => ({ t: (t += gap), v }));
  });

function isSubsequence(sub: readonly SeriesPoint[], of: readonly SeriesPoint[]): boolean {
  let i = 0;
  for (const point of of) if (i < sub.length && sub[i] === point) i++;
  return i === sub.length;
}

describe("downsampleSeries", () => {
  it("picks the largest triangle in each bucket (worked by hand)", () => {
    // n = 10, 4 points: the 8 inner points split into buckets [1..4] and [5..8].
    // Bucket 1, corners (0,0) and the next bucket's mean (6.5, −0.75): doubled areas
    // |−6.5·v − 0.75·t| = 7.25, 1.5, 34.75, 3 → (3, 5).
    // Bucket 2, corners (3,5) and the last point (9,0): |−6(v−5) + 5(3−t)| = 14, 15, 34, 5 → (7, −4).
    expect(downsampleSeries(series([0, 1, 0, 5, 0, 1, 0, -4, 0, 0]), 4)).toEqual([
      { t: 0, v: 0 },
      { t: 3, v: 5 },
      { t: 7, v: -4 },
      { t: 9, v: 0 },
    ]);
  });

  it("keeps only the ends with maxPoints = 2", () => {
    expect(downsampleSeries(series([1, 9, 2, 3]), 2)).toEqual([
      { t: 0, v: 1 },
      { t: 3, v: 3 },
    ]);
  });

  it("returns a copy of short series unchanged", () => {
    const input = series([3, 1, 2]);
    const output = downsampleSeries(input, 3);
    expect(output).toEqual(input);
    expect(output).not.toBe(input);
    expect(downsampleSeries([], 10)).toEqual([]);
  });

  it("sorts unsorted input and drops non-finite points (gaps are not data)", () => {
    const input = [
      { t: 3, v: 1 },
      { t: 1, v: 2 },
      { t: 2, v: Number.NaN },
      { t: Number.POSITIVE_INFINITY, v: 4 },
      { t: 0, v: 5 },
    ];
    expect(downsampleSeries(input, 10)).toEqual([
      { t: 0, v: 5 },
      { t: 1, v: 2 },
      { t: 3, v: 1 },
    ]);
  });

  it("refuses fewer than two points or a fractional count", () => {
    expect(() => downsampleSeries(series([1, 2, 3]), 1)).toThrow(AppError);
    expect(() => downsampleSeries(series([1, 2, 3]), 2.5)).toThrow("maxPoints ≥ 2");
  });

  it("keeps a one-sample memory spike in an otherwise flat series of 10 000 points", () => {
    const values = Array.from({ length: 10_000 }, () => 40);
    values[6_789] = 97;
    const output = downsampleSeries(series(values), 200);
    expect(output).toHaveLength(200);
    expect(output).toContainEqual({ t: 6_789, v: 97 });
  });

  describe("properties", () => {
    it("returns min(n, maxPoints) points, sorted, a subsequence of the input, with both ends", () => {
      fc.assert(
        fc.property(sortedSeries, fc.integer({ min: 2, max: 60 }), (input, maxPoints) => {
          const output = downsampleSeries(input, maxPoints);
          expect(output).toHaveLength(Math.min(input.length, maxPoints));
          expect(isSubsequence(output, input)).toBe(true);
          for (let i = 1; i < output.length; i++) expect(output[i]!.t).toBeGreaterThan(output[i - 1]!.t);
          if (input.length > 0) {
            expect(output[0]).toBe(input[0]);
            expect(output.at(-1)).toBe(input.at(-1));
          }
        }),
      );
    });

    it("is the identity under the limit and idempotent above it", () => {
      fc.assert(
        fc.property(sortedSeries, fc.integer({ min: 2, max: 60 }), (input, maxPoints) => {
          const once = downsampleSeries(input, maxPoints);
          if (input.length <= maxPoints) expect(once).toEqual(input);
          expect(downsampleSeries(once, maxPoints)).toEqual(once);
        }),
      );
    });

    it("never loses a lone spike in a flat line", () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 3, max: 2_000 }),
          fc.integer({ min: 3, max: 100 }),
          fc.nat(),
          fc.double({ min: 1, max: 1e6, noNaN: true }),
          (n, maxPoints, at, height) => {
            const values = Array.from({ length: n }, () => 0);
            const index = at % n;
            values[index] = height;
            expect(downsampleSeries(series(values), maxPoints)).toContainEqual({ t: index, v: height });
          },
        ),
      );
    });
  });
});
