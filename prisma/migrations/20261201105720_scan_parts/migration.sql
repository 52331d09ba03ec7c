-- CreateTable
CREATE TABLE "ScanPart" (
    "scanId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "worker" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "progress" JSONB NOT NULL DEFAULT '{}',
    "errors" JSONB NOT NULL DEFAULT '[]',
    "result" BYTEA,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ScanPart_pkey" PRIMARY KEY ("scanId","key")
);

-- CreateIndex
CREATE INDEX "ScanPart_scanId_status_idx" ON "ScanPart"("scanId", "status");

-- AddForeignKey
ALTER TABLE "ScanPart" ADD CONSTRAINT "ScanPart_scanId_fkey" FOREIGN KEY ("scanId") REFERENCES "Scan"("id") ON DELETE CASCADE ON UPDATE CASCADE;
