import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/app-error";
import { bucketByInterval } from "./bucket-by-interval";

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

// Two one-minute buckets starting at T0 and T0 + 2 min; the minute in between has no samples.
const points = [
  { t: T0 + 10_000, v: 40 },
  { t: T0 + 50_000, v: 70 },
  { t: T0 + 30_000, v: 46 },
  { t: T0 + 2 * MIN + 5_000, v: 51 },
  { t: T0 + 2 * MIN + 59_999, v: 50 },
  { t: T0 + 2 * MIN + 20_000, v: Number.NaN },
];

describe("bucketByInterval", () => {
  it("averages per epoch-aligned bucket, stamped with the bucket start, leaving empty buckets out", () => {
    expect(bucketByInterval(points, MIN, "avg")).toEqual([
      { t: T0, v: 52 },
      { t: T0 + 2 * MIN, v: 50.5 },
    ]);
  });

  it("keeps the peak with max", () => {
    expect(bucketByInterval(points, MIN, "max")).toEqual([
      { t: T0, v: 70 },
      { t: T0 + 2 * MIN, v: 51 },
    ]);
  });

  it("takes the latest sample by time (not input order) with last, the later one on a tie", () => {
    expect(bucketByInterval(points, MIN, "last")).toEqual([
      { t: T0, v: 70 },
      { t: T0 + 2 * MIN, v: 50 },
    ]);
    expect(
      bucketByInterval(
        [
          { t: 5, v: 1 },
          { t: 5, v: 2 },
        ],
        10,
        "last",
      ),
    ).toEqual([{ t: 0, v: 2 }]);
  });

  it("puts a sample exactly on a boundary in the bucket it starts, and floors negative times", () => {
    expect(
      bucketByInterval(
        [
          { t: 60, v: 1 },
          { t: 59, v: 2 },
          { t: -1, v: 3 },
        ],
        60,
        "max",
      ),
    ).toEqual([
      { t: -60, v: 3 },
      { t: 0, v: 2 },
      { t: 60, v: 1 },
    ]);
  });

  it("refuses a non-positive interval", () => {
    expect(() => bucketByInterval(points, 0, "avg")).toThrow(AppError);
    expect(() => bucketByInterval(points, Number.NaN, "avg")).toThrow("positive interval");
  });

  it("matches a brute-force reference for every aggregate", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ t: fc.integer({ min: -1e6, max: 1e6 }), v: fc.integer({ min: -1000, max: 1000 }) }), { maxLength: 100 }),
        fc.integer({ min: 1, max: 50_000 }),
        (input, interval) => {
          const starts = [...new Set(input.map(({ t }) => Math.floor(t / interval) * interval))].sort((a, b) => a - b);
          const inBucket = (start: number) => input.filter(({ t }) => t >= start && t < start + interval);
          expect(bucketByInterval(input, interval, "max")).toEqual(starts.map((t) => ({ t, v: Math.max(...inBucket(t).map((p) => p.v)) })));
          const avg = bucketByInterval(input, interval, "avg");
          expect(avg.map((p) => p.t)).toEqual(starts);
          avg.forEach((p, i) => {
            const members = inBucket(starts[i]!);
            expect(p.v).toBeCloseTo(members.reduce((sum, m) => sum + m.v, 0) / members.length, 9);
          });
          const last = bucketByInterval(input, interval, "last");
          last.forEach((p, i) => {
            const members = inBucket(starts[i]!);
            const latest = Math.max(...members.map((m) => m.t));
            expect(p.v).toBe(members.filter((m) => m.t === latest).at(-1)!.v);
          });
        },
      ),
    );
  });
});
