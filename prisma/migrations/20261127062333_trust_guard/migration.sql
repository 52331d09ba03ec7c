-- AlterTable
ALTER TABLE "RequestItem" ADD COLUMN     "iamBaseHash" TEXT;
