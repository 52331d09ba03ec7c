-- CreateEnum
CREATE TYPE "RequestKind" AS ENUM ('create', 'update', 'delete', 'batch');

-- CreateEnum
CREATE TYPE "RequestStatus" AS ENUM ('pending', 'approved', 'applying', 'applied', 'failed', 'rejected', 'cancelled', 'expired');

-- CreateEnum
CREATE TYPE "ReviewDecision" AS ENUM ('approve', 'reject');

-- CreateTable
CREATE TABLE "Request" (
    "id" UUID NOT NULL,
    "kind" "RequestKind" NOT NULL,
    "status" "RequestStatus" NOT NULL DEFAULT 'pending',
    "version" INTEGER NOT NULL DEFAULT 0,
    "requesterId" UUID NOT NULL,
    "justification" TEXT NOT NULL,
    "policyVersionId" UUID,
    "requiredApprovals" INTEGER NOT NULL DEFAULT 1,
    "approverRole" "Role" NOT NULL DEFAULT 'approver',
    "prechecks" JSONB NOT NULL DEFAULT '[]',
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "decidedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RequestItem" (
    "id" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "kind" TEXT NOT NULL,
    "cluster" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "serviceAccount" TEXT NOT NULL,
    "roleArn" TEXT,
    "targetRoleArn" TEXT,
    "disableSessionTags" BOOLEAN NOT NULL DEFAULT false,
    "sessionPolicy" TEXT,
    "tags" JSONB NOT NULL DEFAULT '{}',
    "mappingExpiresAt" TIMESTAMPTZ(3),
    "associationId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "resultAssociationId" TEXT,
    "resultAssociationArn" TEXT,
    "resultExternalId" TEXT,
    "outcome" TEXT,
    "lastErrorCode" TEXT,
    "lastErrorMessage" TEXT,
    "awsRequestId" TEXT,
    "clientRequestToken" TEXT NOT NULL,
    "appliedAt" TIMESTAMPTZ(3),

    CONSTRAINT "RequestItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Review" (
    "id" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "reviewerId" UUID NOT NULL,
    "decision" "ReviewDecision" NOT NULL,
    "comment" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Review_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApprovalPolicy" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "requiredApprovals" INTEGER NOT NULL DEFAULT 1,
    "approverRole" "Role" NOT NULL DEFAULT 'approver',
    "clusterPattern" TEXT NOT NULL DEFAULT '*',
    "namespacePattern" TEXT NOT NULL DEFAULT '*',
    "rolePattern" TEXT NOT NULL DEFAULT '*',
    "priority" INTEGER NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdBy" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApprovalPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" BIGSERIAL NOT NULL,
    "queue" TEXT NOT NULL,
    "key" TEXT,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 5,
    "runAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMPTZ(3),
    "lockedBy" TEXT,
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Request_status_idx" ON "Request"("status");

-- CreateIndex
CREATE INDEX "Request_requesterId_idx" ON "Request"("requesterId");

-- CreateIndex
CREATE INDEX "Request_createdAt_idx" ON "Request"("createdAt");

-- CreateIndex
CREATE INDEX "RequestItem_requestId_idx" ON "RequestItem"("requestId");

-- CreateIndex
CREATE INDEX "RequestItem_cluster_namespace_serviceAccount_idx" ON "RequestItem"("cluster", "namespace", "serviceAccount");

-- CreateIndex
CREATE UNIQUE INDEX "Review_requestId_reviewerId_key" ON "Review"("requestId", "reviewerId");

-- CreateIndex
CREATE UNIQUE INDEX "ApprovalPolicy_name_version_key" ON "ApprovalPolicy"("name", "version");

-- CreateIndex
CREATE UNIQUE INDEX "Job_key_key" ON "Job"("key");

-- CreateIndex
CREATE INDEX "Job_status_runAt_idx" ON "Job"("status", "runAt");

-- AddForeignKey
ALTER TABLE "Request" ADD CONSTRAINT "Request_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Request" ADD CONSTRAINT "Request_policyVersionId_fkey" FOREIGN KEY ("policyVersionId") REFERENCES "ApprovalPolicy"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RequestItem" ADD CONSTRAINT "RequestItem_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "Request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "Request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_reviewerId_fkey" FOREIGN KEY ("reviewerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Separation of duties, enforced by the database too: nobody reviews their own request.
CREATE FUNCTION "review_not_by_requester"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "Request" r WHERE r."id" = NEW."requestId" AND r."requesterId" = NEW."reviewerId") THEN
    RAISE EXCEPTION 'reviewer % is the requester of request %', NEW."reviewerId", NEW."requestId"
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "Review_not_by_requester"
  BEFORE INSERT OR UPDATE ON "Review"
  FOR EACH ROW EXECUTE FUNCTION "review_not_by_requester"();

-- The default approval policy: one approval from the IAM team (approver role).
INSERT INTO "ApprovalPolicy" ("id", "name", "version", "requiredApprovals", "approverRole", "clusterPattern", "namespacePattern", "rolePattern", "priority", "active", "createdBy")
VALUES ('00000000-0000-4000-8000-000000000001', 'default', 1, 1, 'approver', '*', '*', '*', 0, true, 'system');
