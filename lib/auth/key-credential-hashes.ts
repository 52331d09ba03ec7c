// The once-only conversion of session and API token rows written before their
// hashes were keyed: each stored SHA-256 becomes HMAC(credentials subkey, that
// SHA-256), which is what lookups compute now (./session-token.ts), so tokens
// handed out before the upgrade keep working.
// Once, as a data migration recorded in the migration ledger (lib/db/migrate.ts),
// never on every start: a conversion that ran again would also key the plain
// SHA-256 rows someone with only the database's credentials inserted since, for
// tokens of their choosing. After it, such a row matches no token.
import type { AuditKey } from "@/lib/audit/key";
import type { DataMigration } from "@/lib/db/migrate";
import { keyedTokenHash } from "./session-token";

export const KEY_CREDENTIAL_HASHES = "data:20261201143816_keyed_credential_hashes";

export function keyCredentialHashes(key: AuditKey): DataMigration {
  return {
    name: KEY_CREDENTIAL_HASHES,
    async run(tx) {
      for (const s of await tx.session.findMany({ select: { id: true, tokenHash: true } })) {
        await tx.session.update({ where: { id: s.id }, data: { tokenHash: keyedTokenHash(s.tokenHash, key) } });
      }
      for (const t of await tx.apiToken.findMany({ select: { id: true, tokenHash: true } })) {
        await tx.apiToken.update({ where: { id: t.id }, data: { tokenHash: keyedTokenHash(t.tokenHash, key) } });
      }
    },
  };
}
