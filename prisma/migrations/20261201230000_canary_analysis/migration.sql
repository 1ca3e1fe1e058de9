-- Canary analysis settings per plan, and every analysis run as evidence (lib/analysis).
ALTER TABLE "Plan" ADD COLUMN "analysis" JSONB NOT NULL DEFAULT '{}';

CREATE TABLE "AnalysisRun" (
    "id" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "wave" INTEGER NOT NULL,
    "phase" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decision" TEXT NOT NULL,
    "score" DOUBLE PRECISION,
    "summary" TEXT NOT NULL,
    "result" JSONB NOT NULL,
    "acceptedById" TEXT,
    "acceptedAt" TIMESTAMP(3),
    "acceptReason" TEXT,
    CONSTRAINT "AnalysisRun_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "AnalysisRun_planId_at_idx" ON "AnalysisRun"("planId", "at");

ALTER TABLE "AnalysisRun" ADD CONSTRAINT "AnalysisRun_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "AnalysisRun" ADD CONSTRAINT "AnalysisRun_acceptedById_fkey" FOREIGN KEY ("acceptedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
