-- AlterTable
ALTER TABLE "ScanPart" ADD COLUMN     "summary" JSONB;
