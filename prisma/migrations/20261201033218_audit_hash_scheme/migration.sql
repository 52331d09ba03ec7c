-- Rows written so far were hashed with plain SHA-256 and keep verifying that way
-- ("sha256"); recordAudit now writes "hmac-sha256" rows keyed with the audit key
-- (lib/audit/chain.ts). Adding a column with a constant default rewrites no row,
-- so the append-only triggers are not involved.
-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "hashScheme" TEXT NOT NULL DEFAULT 'sha256';
