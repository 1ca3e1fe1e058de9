-- CreateTable
CREATE TABLE "Release" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "manifest" JSONB NOT NULL,
    "manifestSha256" TEXT NOT NULL,
    "coreVersion" TEXT NOT NULL,
    "replacesId" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Release_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Release_name_key" ON "Release"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Release_manifestSha256_key" ON "Release"("manifestSha256");

-- CreateIndex
CREATE INDEX "Release_createdAt_idx" ON "Release"("createdAt");

-- AddForeignKey
ALTER TABLE "Release" ADD CONSTRAINT "Release_replacesId_fkey" FOREIGN KEY ("replacesId") REFERENCES "Release"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Release" ADD CONSTRAINT "Release_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Releases are immutable: what a plan was approved against can never change under it.
-- Prisma's wasm migration engine splits scripts on every semicolon, even inside quotes, so the
-- body's semicolons are written as the escape \073.
CREATE FUNCTION "reject_release_change"() RETURNS trigger LANGUAGE plpgsql AS
  E'BEGIN RAISE EXCEPTION ''releases are immutable: % on "Release" is not allowed'', TG_OP\073 END\073';

CREATE TRIGGER "Release_immutable"
  BEFORE UPDATE OR DELETE ON "Release"
  FOR EACH ROW EXECUTE FUNCTION "reject_release_change"();
