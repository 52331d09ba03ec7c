-- AlterTable
ALTER TABLE "Scan" ADD COLUMN     "scheduledFor" TIMESTAMPTZ(3);

-- CreateIndex
CREATE UNIQUE INDEX "Scan_scheduledFor_key" ON "Scan"("scheduledFor");
