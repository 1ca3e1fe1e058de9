-- CreateIndex
CREATE INDEX "MetricSample_at_brin_idx" ON "MetricSample" USING BRIN ("at");
