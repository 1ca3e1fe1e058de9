import { describe, expect, it } from "vitest";
import { metricSeriesFromSamples, type RawMetricSample } from "./metric-series-from-samples";

const T0 = Date.UTC(2026, 11, 1, 12);
const GIB = 1024 ** 3;

function row(seconds: number, values: Partial<Omit<RawMetricSample, "at">> = {}): RawMetricSample {
  return {
    at: new Date(T0 + seconds * 1000),
    memoryBytes: 2 * GIB,
    memoryLimitBytes: 8 * GIB,
    queueDepth: 4,
    p95Ms: 250,
    tasksProcessedTotal: null,
    errorsTotal: null,
    tokensSpentTotal: null,
    ...values,
  };
}

describe("metricSeriesFromSamples", () => {
  it("derives gauges per row and rates from counter deltas between consecutive rows", () => {
    const { nodeId, series } = metricSeriesFromSamples({
      nodeId: "n1",
      samples: [
        row(0, { tasksProcessedTotal: 100, errorsTotal: 2, tokensSpentTotal: 10_000 }),
        row(15, { tasksProcessedTotal: 130, errorsTotal: 5, tokensSpentTotal: 13_600, memoryBytes: 4 * GIB }),
        row(30, { tasksProcessedTotal: 130, errorsTotal: 5, tokensSpentTotal: 13_600 }),
      ],
    });
    expect(nodeId).toBe("n1");
    expect(series.memoryPercent).toEqual([
      { t: T0, v: 25 },
      { t: T0 + 15_000, v: 50 },
      { t: T0 + 30_000, v: 25 },
    ]);
    expect(series.queueDepth?.map((point) => point.v)).toEqual([4, 4, 4]);
    expect(series.p95Ms?.map((point) => point.v)).toEqual([250, 250, 250]);
    // 30 tasks in 15 s = 120/min; then an idle interval: 0/min, but no error rate or tokens per task.
    expect(series.tasksPerMinute).toEqual([
      { t: T0 + 15_000, v: 120, w: 0.25 },
      { t: T0 + 30_000, v: 0, w: 0.25 },
    ]);
    expect(series.errorRate).toEqual([{ t: T0 + 15_000, v: 10, w: 30 }]);
    expect(series.tokensPerTask).toEqual([{ t: T0 + 15_000, v: 120, w: 30 }]);
  });

  it("drops the interval of a counter reset instead of producing negative work", () => {
    const { series } = metricSeriesFromSamples({
      nodeId: "n1",
      samples: [
        row(0, { tasksProcessedTotal: 500, errorsTotal: 9, tokensSpentTotal: 90_000 }),
        // The agent restarted: every counter starts again near zero.
        row(15, { tasksProcessedTotal: 10, errorsTotal: 0, tokensSpentTotal: 1_000 }),
        row(30, { tasksProcessedTotal: 40, errorsTotal: 3, tokensSpentTotal: 4_000 }),
      ],
    });
    expect(series.tasksPerMinute).toEqual([{ t: T0 + 30_000, v: 120, w: 0.25 }]);
    expect(series.errorRate).toEqual([{ t: T0 + 30_000, v: 10, w: 30 }]);
    expect(series.tokensPerTask).toEqual([{ t: T0 + 30_000, v: 100, w: 30 }]);
  });

  it("drops only the metric whose own counter went down", () => {
    const { series } = metricSeriesFromSamples({
      nodeId: "n1",
      samples: [
        row(0, { tasksProcessedTotal: 10, errorsTotal: 5, tokensSpentTotal: 100 }),
        row(15, { tasksProcessedTotal: 20, errorsTotal: 1, tokensSpentTotal: 300 }),
      ],
    });
    expect(series.errorRate).toEqual([]);
    expect(series.tokensPerTask).toEqual([{ t: T0 + 15_000, v: 20, w: 10 }]);
  });

  it("skips missing values, needs a positive memory limit, and keeps non-finite values as NaN", () => {
    const { series } = metricSeriesFromSamples({
      nodeId: "n1",
      samples: [
        row(0, { memoryLimitBytes: 0, queueDepth: null, p95Ms: Number.POSITIVE_INFINITY, tasksProcessedTotal: 1 }),
        row(15, { memoryBytes: Number.NaN, tasksProcessedTotal: Number.NaN }),
        row(30, { memoryBytes: null }),
      ],
    });
    expect(series.memoryPercent).toEqual([{ t: T0 + 15_000, v: Number.NaN }]);
    expect(series.queueDepth?.map((point) => point.t)).toEqual([T0 + 15_000, T0 + 30_000]);
    expect(series.p95Ms?.[0]?.v).toBeNaN();
    expect(series.tasksPerMinute?.map((point) => point.v)).toEqual([Number.NaN]);
    expect(series.errorRate?.map((point) => point.v)).toEqual([Number.NaN]);
  });

  it("sorts rows, keeps the first of two at the same time, and takes eval scores from capability checks", () => {
    const { series } = metricSeriesFromSamples({
      nodeId: "n1",
      samples: [row(30, { queueDepth: 3 }), row(0, { queueDepth: 1 }), row(0, { queueDepth: 99 })],
      evalScores: [
        { at: new Date(T0 + 60_000), score: 0.95 },
        { at: new Date(T0), score: null },
        { at: new Date(T0 + 30_000), score: 0.9 },
      ],
    });
    expect(series.queueDepth).toEqual([
      { t: T0, v: 1 },
      { t: T0 + 30_000, v: 3 },
    ]);
    expect(series.evalScore).toEqual([
      { t: T0 + 30_000, v: 0.9 },
      { t: T0 + 60_000, v: 0.95 },
    ]);
  });
});
