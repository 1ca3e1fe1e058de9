-- CreateEnum
CREATE TYPE "PlanStatus" AS ENUM ('draft', 'approved', 'running', 'paused', 'completed', 'rolled_back', 'aborted');

-- CreateEnum
CREATE TYPE "StepKind" AS ENUM ('drain', 'upgrade', 'doctor', 'restart', 'verify', 'widen');

-- CreateEnum
CREATE TYPE "StepMode" AS ENUM ('prepare', 'activate');

-- CreateEnum
CREATE TYPE "StepStatus" AS ENUM ('pending', 'awaiting_activation', 'running', 'succeeded', 'failed', 'skipped');

-- CreateEnum
CREATE TYPE "BookmarkScope" AS ENUM ('plan', 'node');

-- CreateEnum
CREATE TYPE "RestoreStatus" AS ENUM ('running', 'succeeded', 'failed');

-- CreateTable
CREATE TABLE "Plan" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "fromReleaseId" TEXT NOT NULL,
    "toReleaseId" TEXT NOT NULL,
    "strategy" JSONB NOT NULL,
    "guardrails" JSONB NOT NULL,
    "waves" JSONB NOT NULL,
    "approvalsRequired" INTEGER NOT NULL DEFAULT 1,
    "autoRollback" BOOLEAN NOT NULL DEFAULT true,
    "status" "PlanStatus" NOT NULL DEFAULT 'draft',
    "statusReason" TEXT,
    "authorId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Plan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanNode" (
    "planId" TEXT NOT NULL,
    "nodeId" TEXT NOT NULL,
    "wave" INTEGER NOT NULL,
    "initialWeight" INTEGER NOT NULL,

    CONSTRAINT "PlanNode_pkey" PRIMARY KEY ("planId","nodeId")
);

-- CreateTable
CREATE TABLE "PlanApproval" (
    "id" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "approverId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlanApproval_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanStep" (
    "id" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "nodeId" TEXT NOT NULL,
    "wave" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "kind" "StepKind" NOT NULL,
    "mode" "StepMode" NOT NULL,
    "status" "StepStatus" NOT NULL DEFAULT 'pending',
    "targetWeight" INTEGER,
    "agentOperationId" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "error" TEXT,
    "activatedById" TEXT,
    "activatedAt" TIMESTAMP(3),

    CONSTRAINT "PlanStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Bookmark" (
    "id" TEXT NOT NULL,
    "planId" TEXT,
    "stepId" TEXT,
    "scope" "BookmarkScope" NOT NULL,
    "label" TEXT NOT NULL,
    "releaseSha256" TEXT,
    "nodes" JSONB NOT NULL,
    "capturedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Bookmark_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BookmarkRestore" (
    "id" TEXT NOT NULL,
    "bookmarkId" TEXT NOT NULL,
    "actorId" TEXT,
    "automatic" BOOLEAN NOT NULL DEFAULT false,
    "status" "RestoreStatus" NOT NULL DEFAULT 'running',
    "outcome" JSONB NOT NULL DEFAULT '[]',
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "BookmarkRestore_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Plan_status_idx" ON "Plan"("status");

-- CreateIndex
CREATE UNIQUE INDEX "PlanApproval_planId_approverId_key" ON "PlanApproval"("planId", "approverId");

-- CreateIndex
CREATE INDEX "PlanStep_planId_status_idx" ON "PlanStep"("planId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "PlanStep_planId_seq_key" ON "PlanStep"("planId", "seq");

-- CreateIndex
CREATE INDEX "Bookmark_planId_capturedAt_idx" ON "Bookmark"("planId", "capturedAt");

-- CreateIndex
CREATE INDEX "BookmarkRestore_bookmarkId_idx" ON "BookmarkRestore"("bookmarkId");

-- AddForeignKey
ALTER TABLE "Plan" ADD CONSTRAINT "Plan_fromReleaseId_fkey" FOREIGN KEY ("fromReleaseId") REFERENCES "Release"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Plan" ADD CONSTRAINT "Plan_toReleaseId_fkey" FOREIGN KEY ("toReleaseId") REFERENCES "Release"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Plan" ADD CONSTRAINT "Plan_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanNode" ADD CONSTRAINT "PlanNode_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanNode" ADD CONSTRAINT "PlanNode_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanApproval" ADD CONSTRAINT "PlanApproval_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanApproval" ADD CONSTRAINT "PlanApproval_approverId_fkey" FOREIGN KEY ("approverId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanStep" ADD CONSTRAINT "PlanStep_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanStep" ADD CONSTRAINT "PlanStep_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanStep" ADD CONSTRAINT "PlanStep_activatedById_fkey" FOREIGN KEY ("activatedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Bookmark" ADD CONSTRAINT "Bookmark_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Bookmark" ADD CONSTRAINT "Bookmark_stepId_fkey" FOREIGN KEY ("stepId") REFERENCES "PlanStep"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BookmarkRestore" ADD CONSTRAINT "BookmarkRestore_bookmarkId_fkey" FOREIGN KEY ("bookmarkId") REFERENCES "Bookmark"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BookmarkRestore" ADD CONSTRAINT "BookmarkRestore_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
