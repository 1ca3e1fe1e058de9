import { AppError } from "@/lib/app-error";

/** One sample of a metric: `t` in epoch milliseconds. */
export interface SeriesPoint {
  t: number;
  v: number;
}

/**
 * At most `maxPoints` of `points` for a chart, chosen with Largest-Triangle-Three-Buckets
 * (Steinarsson, "Downsampling Time Series for Visual Representation", 2013). Averaging or
 * striding would flatten the one memory spike or latency outlier a rollout chart exists to show;
 * LTTB keeps, per bucket, the point that spans the largest triangle with its neighbours, so peaks
 * and troughs survive. No package in node_modules implements it, hence this one.
 *
 * The result is a subsequence of the (sorted, finite) input: first and last points kept, order by
 * `t`, nothing invented. Input not sorted by `t` is sorted first (stable); points with a
 * non-finite `t` or `v` are gaps, not data, and are dropped. Up to `maxPoints` points come back
 * unchanged (as a new array).
 */
export function downsampleSeries(points: readonly SeriesPoint[], maxPoints: number): SeriesPoint[] {
  if (!Number.isInteger(maxPoints) || maxPoints < 2) {
    // Fewer than two points can't keep both ends, and the chart would lie about the time range.
    throw new AppError("internal", `downsampleSeries needs maxPoints ≥ 2, got ${maxPoints}.`);
  }
  const data = sortedFinite(points);
  const n = data.length;
  if (n <= maxPoints) return data;
  const first = data[0];
  const last = data[n - 1];
  if (first === undefined || last === undefined) return data;
  if (maxPoints === 2) return [first, last];

  // The first and last points are fixed; the n − 2 in between are split into maxPoints − 2 buckets.
  const buckets = maxPoints - 2;
  // Integer numerator over integer denominator: `b * ((n - 2) / buckets)` can land a hair under
  // an integer and silently drop a point from every bucket.
  const boundary = (b: number) => Math.floor((b * (n - 2)) / buckets) + 1;
  const sampled: SeriesPoint[] = [first];
  let previous = first;
  for (let bucket = 0; bucket < buckets; bucket++) {
    const start = boundary(bucket);
    const end = boundary(bucket + 1);
    // The third corner is the average of the next bucket; after the last bucket, the last point.
    const nextStart = end;
    const nextEnd = Math.min(boundary(bucket + 2), n);
    let avgT = 0;
    let avgV = 0;
    for (let i = nextStart; i < nextEnd; i++) {
      const point = data[i]!;
      avgT += point.t;
      avgV += point.v;
    }
    const nextCount = nextEnd - nextStart;
    if (nextCount > 0) {
      avgT /= nextCount;
      avgV /= nextCount;
    } else {
      avgT = last.t;
      avgV = last.v;
    }

    let chosen = data[start]!;
    let maxArea = -1;
    for (let i = start; i < end; i++) {
      const point = data[i]!;
      // Twice the triangle's area; the factor doesn't change which point wins.
      const area = Math.abs((previous.t - avgT) * (point.v - previous.v) - (previous.t - point.t) * (avgV - previous.v));
      if (area > maxArea) {
        maxArea = area;
        chosen = point;
      }
    }
    sampled.push(chosen);
    previous = chosen;
  }
  sampled.push(last);
  return sampled;
}

function sortedFinite(points: readonly SeriesPoint[]): SeriesPoint[] {
  const data = points.filter((point) => Number.isFinite(point.t) && Number.isFinite(point.v));
  for (let i = 1; i < data.length; i++) {
    if (data[i]!.t < data[i - 1]!.t) return data.sort((a, b) => a.t - b.t);
  }
  return data;
}
