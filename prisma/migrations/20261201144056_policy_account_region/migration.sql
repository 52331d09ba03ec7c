-- AlterTable
ALTER TABLE "ApprovalPolicy" ADD COLUMN     "accountPattern" TEXT NOT NULL DEFAULT '*',
ADD COLUMN     "regionPattern" TEXT NOT NULL DEFAULT '*';
