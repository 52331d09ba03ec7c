-- AlterTable
ALTER TABLE "ScanSnapshot" ADD COLUMN     "header" JSONB,
ALTER COLUMN "data" DROP NOT NULL;

-- CreateTable
CREATE TABLE "ScanSegment" (
    "scanId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "region" TEXT,
    "cluster" TEXT,
    "contentHash" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,

    CONSTRAINT "ScanSegment_pkey" PRIMARY KEY ("scanId","key")
);

-- CreateTable
CREATE TABLE "SegmentBlob" (
    "hash" TEXT NOT NULL,
    "data" BYTEA NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SegmentBlob_pkey" PRIMARY KEY ("hash")
);

-- CreateIndex
CREATE INDEX "ScanSegment_scanId_kind_idx" ON "ScanSegment"("scanId", "kind");

-- CreateIndex
CREATE INDEX "ScanSegment_scanId_accountId_region_cluster_idx" ON "ScanSegment"("scanId", "accountId", "region", "cluster");

-- CreateIndex
CREATE INDEX "ScanSegment_contentHash_idx" ON "ScanSegment"("contentHash");

-- AddForeignKey
ALTER TABLE "ScanSegment" ADD CONSTRAINT "ScanSegment_scanId_fkey" FOREIGN KEY ("scanId") REFERENCES "ScanSnapshot"("scanId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScanSegment" ADD CONSTRAINT "ScanSegment_contentHash_fkey" FOREIGN KEY ("contentHash") REFERENCES "SegmentBlob"("hash") ON DELETE RESTRICT ON UPDATE CASCADE;
