// A data migration's "ran once" anchored in the audit trail as well as in the
// migration ledger. With a single database role, whoever holds DATABASE_URL can
// delete the ledger row and so have a conversion run again on the next start,
// where it would key the plain credential rows or sign the reviews they wrote in
// the meantime. The trail is append-only and its rows are keyed: a migration whose
// run is recorded there by a row that verifies under the key is not run again (its
// ledger row is simply restored), and removing that row breaks the chain, which
// `rolegate audit verify --checkpoint` reports. With the two roles of the README
// (lib/db/grants.ts) the app's role can change neither the ledger nor the trail.
import type { DataMigration } from "@/lib/db/migrate";
import { rowHash } from "./chain";
import type { AuditKey } from "./key";
import { recordAudit } from "./record";

export const DATA_MIGRATED_EVENT = "system.data_migrated";

export function recordedInTrail(migration: DataMigration, key: AuditKey): DataMigration {
  const subject = `migration:${migration.name}`;
  return {
    name: migration.name,
    async run(tx) {
      const earlier = await tx.auditEvent.findMany({ where: { event: DATA_MIGRATED_EVENT, subject } });
      // Only a row RoleGate wrote counts: one inserted without the key must not stop a conversion either.
      if (earlier.some((row) => row.hashScheme === "hmac-sha256" && rowHash(row, key) === row.hash)) return;
      await migration.run(tx);
      await recordAudit(tx, { actor: "system", event: DATA_MIGRATED_EVENT, subject, details: { migration: migration.name } }, key);
    },
  };
}
