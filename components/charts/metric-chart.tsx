"use client";

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface MetricChartSeries {
  key: string;
  label: string;
  color: string;
  dashed?: boolean;
  /** Draw straight across missing points (a projection given at two times only). */
  connectNulls?: boolean;
}

const TIME = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
const TIME_SECONDS = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: "UTC" });
const DAY_TIME = new Intl.DateTimeFormat("en-GB", { day: "2-digit", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });

/**
 * One metric over time, with an optional alert line. Several series (canary vs stable, value vs
 * limit) share the axis; gaps (null) stay gaps so a missing scrape never draws a false line.
 */
export function MetricChart({
  title,
  data,
  series,
  unit,
  alertLine,
  alertLabel,
  multiDay = false,
  seconds = false,
  legend = false,
  showAlertLine = false,
  domain,
}: {
  title: string;
  data: Array<Record<string, number | null>>;
  series: MetricChartSeries[];
  unit: string;
  alertLine?: number;
  alertLabel?: string;
  multiDay?: boolean;
  /** Time ticks with seconds, for a span of a few minutes (a simulated fleet on a compressed clock). */
  seconds?: boolean;
  /** Name the series under the chart. */
  legend?: boolean;
  /** Stretch the value axis to the alert line when the data stays below it (how far from the limit is the point). */
  showAlertLine?: boolean;
  /** Fixed time axis [start, end] in epoch ms, to line the chart up with a timeline above it. */
  domain?: [number, number];
}) {
  const format = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(1));
  return (
    <figure aria-label={title} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <figcaption className="mb-2 text-sm font-semibold">{title}</figcaption>
      {data.length === 0 ? (
        <p className="py-12 text-center text-sm text-slate-500">No samples in this range yet.</p>
      ) : (
        <div className="h-56">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={data} margin={{ left: 8, right: 16, top: 8 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis
                dataKey="t"
                type="number"
                scale="time"
                domain={domain ?? ["dataMin", "dataMax"]}
                allowDataOverflow={domain !== undefined}
                tickFormatter={(t: number) => (multiDay ? DAY_TIME : seconds ? TIME_SECONDS : TIME).format(t)}
                tick={{ fontSize: 11 }}
              />
              <YAxis tick={{ fontSize: 11 }} tickFormatter={(value: number) => `${format(value)}${unit}`} width={64} />
              <Tooltip
                labelFormatter={(t) => `${DAY_TIME.format(Number(t))} UTC`}
                formatter={(value) => `${format(Number(value))}${unit}`}
              />
              {legend && <Legend verticalAlign="bottom" height={24} wrapperStyle={{ fontSize: 12 }} />}
              {alertLine !== undefined && (
                <ReferenceLine
                  y={alertLine}
                  ifOverflow={showAlertLine ? "extendDomain" : "discard"}
                  stroke="#e11d48"
                  strokeDasharray="6 4"
                  label={{ value: alertLabel ?? `${alertLine}${unit}`, position: "insideTopRight", fill: "#e11d48", fontSize: 11 }}
                />
              )}
              {series.map((line) => (
                <Line
                  key={line.key}
                  dataKey={line.key}
                  name={line.label}
                  stroke={line.color}
                  dot={false}
                  strokeWidth={2}
                  strokeDasharray={line.dashed ? "4 3" : undefined}
                  connectNulls={line.connectNulls ?? false}
                  isAnimationActive={false}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
}
