-- CreateTable
CREATE TABLE "ReviewCampaign" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "scope" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "version" INTEGER NOT NULL DEFAULT 0,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "remindedAt" TIMESTAMPTZ(3),
    "escalatedAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),
    "closedBy" TEXT,
    "checkpoint" JSONB,

    CONSTRAINT "ReviewCampaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewItem" (
    "id" UUID NOT NULL,
    "campaignId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "mechanism" TEXT NOT NULL,
    "cluster" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "serviceAccount" TEXT NOT NULL,
    "roleArn" TEXT NOT NULL,
    "associationId" TEXT,
    "reviewer" TEXT NOT NULL,
    "reviewerRule" TEXT NOT NULL,
    "evidence" JSONB NOT NULL,
    "suggestion" TEXT,
    "decision" TEXT,
    "comment" TEXT,
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMPTZ(3),
    "resultRequestId" UUID,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ReviewItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ReviewCampaign_status_idx" ON "ReviewCampaign"("status");

-- CreateIndex
CREATE INDEX "ReviewItem_campaignId_reviewer_idx" ON "ReviewItem"("campaignId", "reviewer");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewItem_campaignId_position_key" ON "ReviewItem"("campaignId", "position");

-- AddForeignKey
ALTER TABLE "ReviewItem" ADD CONSTRAINT "ReviewItem_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "ReviewCampaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewItem" ADD CONSTRAINT "ReviewItem_resultRequestId_fkey" FOREIGN KEY ("resultRequestId") REFERENCES "Request"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
