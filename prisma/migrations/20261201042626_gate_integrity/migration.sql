-- AlterTable
ALTER TABLE "Request" ADD COLUMN     "approvalRequirements" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "RequestItem" ADD COLUMN     "subjectRoleArn" TEXT;

-- AlterTable
ALTER TABLE "Review" ADD COLUMN     "overrideReason" TEXT,
ADD COLUMN     "reviewerRole" "Role";
