-- CreateEnum
CREATE TYPE "Role" AS ENUM ('requester', 'approver', 'auditor', 'admin');

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "login" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "role" "Role" NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'sandbox',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabledAt" TIMESTAMPTZ(3),

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "userAgent" TEXT,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Cluster" (
    "id" UUID NOT NULL,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "arn" TEXT,
    "status" TEXT,
    "version" TEXT,
    "oidcIssuer" TEXT,
    "lastRefreshedAt" TIMESTAMPTZ(3),
    "lastRefreshError" TEXT,

    CONSTRAINT "Cluster_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PodIdentityAssociation" (
    "id" UUID NOT NULL,
    "clusterId" UUID NOT NULL,
    "associationId" TEXT NOT NULL,
    "associationArn" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "serviceAccount" TEXT NOT NULL,
    "roleArn" TEXT NOT NULL,
    "targetRoleArn" TEXT,
    "externalId" TEXT,
    "disableSessionTags" BOOLEAN NOT NULL DEFAULT false,
    "sessionPolicy" TEXT,
    "ownerArn" TEXT,
    "tags" JSONB NOT NULL DEFAULT '{}',
    "awsCreatedAt" TIMESTAMPTZ(3) NOT NULL,
    "awsModifiedAt" TIMESTAMPTZ(3) NOT NULL,
    "refreshedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PodIdentityAssociation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MappingRefresh" (
    "id" UUID NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "status" TEXT NOT NULL DEFAULT 'running',
    "startedBy" TEXT,
    "clustersTotal" INTEGER NOT NULL DEFAULT 0,
    "clustersDone" INTEGER NOT NULL DEFAULT 0,
    "associationsSeen" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "MappingRefresh_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "subject" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_login_key" ON "User"("login");

-- CreateIndex
CREATE UNIQUE INDEX "Session_tokenHash_key" ON "Session"("tokenHash");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Cluster_accountId_region_name_key" ON "Cluster"("accountId", "region", "name");

-- CreateIndex
CREATE INDEX "PodIdentityAssociation_namespace_idx" ON "PodIdentityAssociation"("namespace");

-- CreateIndex
CREATE INDEX "PodIdentityAssociation_roleArn_idx" ON "PodIdentityAssociation"("roleArn");

-- CreateIndex
CREATE UNIQUE INDEX "PodIdentityAssociation_clusterId_associationId_key" ON "PodIdentityAssociation"("clusterId", "associationId");

-- CreateIndex
CREATE UNIQUE INDEX "PodIdentityAssociation_clusterId_namespace_serviceAccount_key" ON "PodIdentityAssociation"("clusterId", "namespace", "serviceAccount");

-- CreateIndex
CREATE INDEX "MappingRefresh_startedAt_idx" ON "MappingRefresh"("startedAt");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE INDEX "AuditEvent_actor_idx" ON "AuditEvent"("actor");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PodIdentityAssociation" ADD CONSTRAINT "PodIdentityAssociation_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;
