-- CreateEnum
CREATE TYPE "RunMode" AS ENUM ('sandbox', 'aws');

-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "mode" "RunMode";

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "mode" "RunMode";

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "deprovisionedAt" TIMESTAMPTZ(3),
ADD COLUMN     "mode" "RunMode",
ADD COLUMN     "scimDeletedAt" TIMESTAMPTZ(3),
ADD COLUMN     "scimExternalId" TEXT,
ADD COLUMN     "scimUserName" TEXT,
ADD COLUMN     "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateTable
CREATE TABLE "RateLimit" (
    "key" TEXT NOT NULL,
    "windowStart" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "RateLimit_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_scimUserName_key" ON "User"("scimUserName");

-- Rows made before modes were recorded: demo users (source "sandbox") and their
-- sessions and tokens were certainly born in sandbox mode.
UPDATE "User" SET "mode" = 'sandbox' WHERE "source" = 'sandbox';
UPDATE "Session" SET "mode" = 'sandbox' WHERE "userId" IN (SELECT "id" FROM "User" WHERE "source" = 'sandbox');
UPDATE "ApiToken" SET "mode" = 'sandbox' WHERE "userId" IN (SELECT "id" FROM "User" WHERE "source" = 'sandbox');

-- Separation of duties, enforced by the database too: only people review.
-- Service accounts (source "service") and RoleGate's own system user never do.
CREATE FUNCTION "review_by_a_person"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "User" u WHERE u."id" = NEW."reviewerId" AND u."source" IN ('service', 'system')) THEN
    RAISE EXCEPTION 'reviewer % is a service account, not a person', NEW."reviewerId"
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "Review_by_a_person"
  BEFORE INSERT OR UPDATE ON "Review"
  FOR EACH ROW EXECUTE FUNCTION "review_by_a_person"();
