-- CreateTable
CREATE TABLE "NamespaceRestartSetting" (
    "id" UUID NOT NULL,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "cluster" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "autoRestart" BOOLEAN NOT NULL DEFAULT false,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "NamespaceRestartSetting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PodRestart" (
    "id" UUID NOT NULL,
    "requestItemId" UUID,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "cluster" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "podName" TEXT NOT NULL,
    "podUid" TEXT NOT NULL,
    "serviceAccount" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'planned',
    "error" TEXT,
    "requestedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deletedAt" TIMESTAMPTZ(3),

    CONSTRAINT "PodRestart_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "NamespaceRestartSetting_accountId_region_cluster_namespace_key" ON "NamespaceRestartSetting"("accountId", "region", "cluster", "namespace");

-- CreateIndex
CREATE INDEX "PodRestart_requestItemId_idx" ON "PodRestart"("requestItemId");

-- CreateIndex
CREATE UNIQUE INDEX "PodRestart_accountId_region_cluster_podUid_key" ON "PodRestart"("accountId", "region", "cluster", "podUid");
