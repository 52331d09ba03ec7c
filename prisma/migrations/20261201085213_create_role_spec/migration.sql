-- AlterTable
ALTER TABLE "RequestItem" ADD COLUMN     "roleSpec" JSONB;
