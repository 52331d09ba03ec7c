-- AlterTable
ALTER TABLE "RequestItem" ADD COLUMN     "templateId" UUID;

-- CreateTable
CREATE TABLE "AssociationTemplate" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "clusters" TEXT[],
    "namespace" TEXT NOT NULL,
    "serviceAccountPattern" TEXT NOT NULL,
    "roleArn" TEXT NOT NULL,
    "targetRoleArn" TEXT,
    "disableSessionTags" BOOLEAN NOT NULL DEFAULT false,
    "sessionPolicy" TEXT,
    "mappingTtlDays" INTEGER,
    "maxMappings" INTEGER,
    "expiresAt" TIMESTAMPTZ(3),
    "requestId" UUID,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activatedAt" TIMESTAMPTZ(3),
    "approvedBy" TEXT,
    "revokedAt" TIMESTAMPTZ(3),
    "revocationRequestId" UUID,

    CONSTRAINT "AssociationTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AssociationTemplate_status_idx" ON "AssociationTemplate"("status");

-- CreateIndex
CREATE UNIQUE INDEX "AssociationTemplate_name_version_key" ON "AssociationTemplate"("name", "version");

-- CreateIndex
CREATE INDEX "RequestItem_templateId_idx" ON "RequestItem"("templateId");

-- AddForeignKey
ALTER TABLE "RequestItem" ADD CONSTRAINT "RequestItem_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "AssociationTemplate"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssociationTemplate" ADD CONSTRAINT "AssociationTemplate_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "Request"("id") ON DELETE SET NULL ON UPDATE CASCADE;
