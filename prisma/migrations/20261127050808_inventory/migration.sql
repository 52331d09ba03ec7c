-- CreateTable
CREATE TABLE "Scan" (
    "id" UUID NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "status" TEXT NOT NULL DEFAULT 'running',
    "trigger" TEXT NOT NULL,
    "startedBy" TEXT NOT NULL,
    "progress" JSONB NOT NULL DEFAULT '{}',
    "errors" JSONB NOT NULL DEFAULT '[]',
    "clusters" INTEGER NOT NULL DEFAULT 0,
    "associations" INTEGER NOT NULL DEFAULT 0,
    "roles" INTEGER NOT NULL DEFAULT 0,
    "serviceAccounts" INTEGER NOT NULL DEFAULT 0,
    "pods" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Scan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScanSnapshot" (
    "scanId" UUID NOT NULL,
    "data" BYTEA NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScanSnapshot_pkey" PRIMARY KEY ("scanId")
);

-- CreateTable
CREATE TABLE "ScanUsage" (
    "id" BIGSERIAL NOT NULL,
    "scanId" UUID NOT NULL,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "cluster" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "irsaServiceAccounts" INTEGER NOT NULL DEFAULT 0,
    "podIdentityAssociations" INTEGER NOT NULL DEFAULT 0,
    "serviceAccounts" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ScanUsage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScanLease" (
    "scope" TEXT NOT NULL,
    "holder" TEXT,
    "scanId" UUID,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ScanLease_pkey" PRIMARY KEY ("scope")
);

-- CreateIndex
CREATE INDEX "Scan_startedAt_idx" ON "Scan"("startedAt");

-- CreateIndex
CREATE INDEX "Scan_status_startedAt_idx" ON "Scan"("status", "startedAt");

-- CreateIndex
CREATE INDEX "ScanUsage_cluster_namespace_idx" ON "ScanUsage"("cluster", "namespace");

-- CreateIndex
CREATE UNIQUE INDEX "ScanUsage_scanId_accountId_region_cluster_namespace_key" ON "ScanUsage"("scanId", "accountId", "region", "cluster", "namespace");

-- AddForeignKey
ALTER TABLE "ScanSnapshot" ADD CONSTRAINT "ScanSnapshot_scanId_fkey" FOREIGN KEY ("scanId") REFERENCES "Scan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScanUsage" ADD CONSTRAINT "ScanUsage_scanId_fkey" FOREIGN KEY ("scanId") REFERENCES "Scan"("id") ON DELETE CASCADE ON UPDATE CASCADE;
