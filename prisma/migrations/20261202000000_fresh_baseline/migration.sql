-- The fresh baseline (analysis.freshBaseline): when the plan restarted this node, on its old
-- release, together with the canary. Its samples count from then as the canary's baseline.
ALTER TABLE "PlanNode" ADD COLUMN "baselineRestartedAt" TIMESTAMP(3);
