-- DropIndex
DROP INDEX "MetricSample_nodeId_at_idx";

-- CreateIndex
CREATE INDEX "MetricSample_chart_idx" ON "MetricSample"("nodeId", "at", "memoryBytes", "memoryLimitBytes", "queueDepth", "p95Ms", "tasksProcessedTotal");

-- Samples are only ever inserted. Vacuum after every 1% of new rows (not the default 20%), so the
-- visibility map stays current and the chart query's index-only scan does not fall back to the
-- heap for the most recent, most read, days.
ALTER TABLE "MetricSample" SET (autovacuum_vacuum_insert_scale_factor = 0.01);
