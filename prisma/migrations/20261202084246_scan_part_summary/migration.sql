-- AlterTable
ALTER TABLE "ScanPart" ADD COLUMN     "blobHash" TEXT,
ADD COLUMN     "summary" JSONB;

-- CreateIndex
CREATE INDEX "ScanPart_blobHash_idx" ON "ScanPart"("blobHash");

-- AddForeignKey
ALTER TABLE "ScanPart" ADD CONSTRAINT "ScanPart_blobHash_fkey" FOREIGN KEY ("blobHash") REFERENCES "SegmentBlob"("hash") ON DELETE RESTRICT ON UPDATE CASCADE;
