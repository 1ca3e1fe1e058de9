-- CreateEnum
CREATE TYPE "BroadcastStatus" AS ENUM ('pending', 'sent', 'failed');

-- CreateTable
CREATE TABLE "NodeHealth" (
    "nodeId" TEXT NOT NULL,
    "lastAttemptAt" TIMESTAMP(3) NOT NULL,
    "lastOkAt" TIMESTAMP(3),
    "lastErrorCode" TEXT,
    "lastErrorMessage" TEXT,
    "readiness" JSONB,
    "readinessAt" TIMESTAMP(3),
    "probeSha256" TEXT,
    "redSince" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NodeHealth_pkey" PRIMARY KEY ("nodeId")
);

-- CreateTable
CREATE TABLE "MetricSample" (
    "id" BIGSERIAL NOT NULL,
    "nodeId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "memoryBytes" DOUBLE PRECISION,
    "memoryLimitBytes" DOUBLE PRECISION,
    "queueDepth" DOUBLE PRECISION,
    "tasksProcessedTotal" DOUBLE PRECISION,
    "errorsTotal" DOUBLE PRECISION,
    "tokensSpentTotal" DOUBLE PRECISION,
    "p95Ms" DOUBLE PRECISION,

    CONSTRAINT "MetricSample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReadinessSnapshot" (
    "id" BIGSERIAL NOT NULL,
    "nodeId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "ready" BOOLEAN NOT NULL,
    "probeSha256" TEXT NOT NULL,
    "report" JSONB NOT NULL,

    CONSTRAINT "ReadinessSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Broadcast" (
    "id" TEXT NOT NULL,
    "incidentKey" TEXT NOT NULL,
    "nodeId" TEXT NOT NULL,
    "planId" TEXT,
    "payload" JSONB NOT NULL,
    "status" "BroadcastStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "Broadcast_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MetricSample_nodeId_at_idx" ON "MetricSample"("nodeId", "at");

-- CreateIndex
CREATE INDEX "ReadinessSnapshot_nodeId_at_idx" ON "ReadinessSnapshot"("nodeId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "Broadcast_incidentKey_key" ON "Broadcast"("incidentKey");

-- AddForeignKey
ALTER TABLE "NodeHealth" ADD CONSTRAINT "NodeHealth_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MetricSample" ADD CONSTRAINT "MetricSample_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReadinessSnapshot" ADD CONSTRAINT "ReadinessSnapshot_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node"("id") ON DELETE CASCADE ON UPDATE CASCADE;
