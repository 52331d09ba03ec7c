-- AlterTable
ALTER TABLE "Request" ADD COLUMN     "prechecksAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "RequestItem" ADD COLUMN     "iamPolicyDocument" TEXT,
ADD COLUMN     "iamPolicyName" TEXT,
ADD COLUMN     "revocationRequestId" UUID;

-- CreateIndex
CREATE INDEX "RequestItem_mappingExpiresAt_idx" ON "RequestItem"("mappingExpiresAt");
