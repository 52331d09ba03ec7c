-- AlterTable
ALTER TABLE "ReviewItem" ADD COLUMN     "via" TEXT;
