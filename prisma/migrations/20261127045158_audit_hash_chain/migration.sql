-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "awsRequestId" TEXT,
ADD COLUMN     "cluster" TEXT,
ADD COLUMN     "fromState" TEXT,
ADD COLUMN     "hash" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "namespace" TEXT,
ADD COLUMN     "prevHash" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "requestId" TEXT,
ADD COLUMN     "roleArn" TEXT,
ADD COLUMN     "serviceAccount" TEXT,
ADD COLUMN     "toState" TEXT;

-- Hand-written: rows written before the chain existed keep empty hashes; verify
-- reports them as "unchained" and accepts them only before the first chained row.
ALTER TABLE "AuditEvent" ALTER COLUMN "hash" DROP DEFAULT, ALTER COLUMN "prevHash" DROP DEFAULT;

-- CreateIndex
CREATE INDEX "AuditEvent_event_idx" ON "AuditEvent"("event");

-- CreateIndex
CREATE INDEX "AuditEvent_requestId_idx" ON "AuditEvent"("requestId");

-- CreateIndex
CREATE INDEX "AuditEvent_cluster_namespace_serviceAccount_idx" ON "AuditEvent"("cluster", "namespace", "serviceAccount");

-- CreateIndex
CREATE INDEX "AuditEvent_roleArn_idx" ON "AuditEvent"("roleArn");

-- Hand-written (Prisma does not model triggers): the audit trail is append-only.
-- The hash chain (lib/audit/chain.ts) makes edits by someone who disables these
-- triggers detectable; the triggers stop everyone else.
CREATE OR REPLACE FUNCTION "rolegate_audit_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only: % is not allowed on the audit trail', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Audit rows can only be inserted (through recordAudit); they are never changed or removed.';
END;
$$;

CREATE TRIGGER "AuditEvent_no_update_delete"
  BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "rolegate_audit_append_only"();

CREATE TRIGGER "AuditEvent_no_truncate"
  BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "rolegate_audit_append_only"();
