import { afterEach, describe, expect, it } from "vitest";
import { createNode } from "@/prisma/factories";
import { db } from "../db";
import { metricRetentionDays, pruneMetricSamples } from "./prune-metric-samples";

const DAY_MS = 86_400_000;

afterEach(() => {
  delete process.env.ROLLBOOK_METRIC_RETENTION_DAYS;
});

describe("pruneMetricSamples", () => {
  it("deletes samples older than the retention, in batches, and keeps the rest", async () => {
    process.env.ROLLBOOK_METRIC_RETENTION_DAYS = "30";
    const node = await createNode(db);
    const now = new Date("2026-11-23T12:00:00.000Z");
    const daysAgo = [45, 31, 30.01, 29.99, 7, 0];
    await db.metricSample.createMany({
      data: daysAgo.map((days) => ({ nodeId: node.id, at: new Date(now.getTime() - days * DAY_MS), queueDepth: days })),
    });

    expect(await pruneMetricSamples({ now, batchSize: 2 })).toBe(3);
    const left = await db.metricSample.findMany({ orderBy: { at: "asc" }, select: { queueDepth: true } });
    expect(left.map((sample) => sample.queueDepth)).toEqual([29.99, 7, 0]);
    expect(await pruneMetricSamples({ now })).toBe(0);
  });

  it("never keeps less than the 7-day chart needs, and falls back on nonsense", () => {
    process.env.ROLLBOOK_METRIC_RETENTION_DAYS = "2";
    expect(metricRetentionDays()).toBe(8);
    process.env.ROLLBOOK_METRIC_RETENTION_DAYS = "ninety";
    expect(metricRetentionDays()).toBe(30);
    process.env.ROLLBOOK_METRIC_RETENTION_DAYS = "90";
    expect(metricRetentionDays()).toBe(90);
  });
});
