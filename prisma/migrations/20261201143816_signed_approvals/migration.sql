-- AlterTable
ALTER TABLE "Request" ADD COLUMN     "autoApprovalSignature" TEXT;

-- AlterTable
ALTER TABLE "Review" ADD COLUMN     "signature" TEXT;
