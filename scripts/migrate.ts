// `npm run db:migrate`: applies pending migrations to the configured database
// (DATABASE_URL, or the embedded one in ROLEGATE_DATA_DIR), the SQL ones, then the
// app's data migrations, which key rows with ROLEGATE_AUDIT_KEY (lib/runtime.ts):
// give this job the same key as the app. Start-up does the same.
import { resolveAuditKey } from "../lib/audit/key";
import { auditSettingsFromEnv } from "../lib/config/audit";
import { databaseSettingsFromEnv, openDatabase } from "../lib/db/connection";
import { appDataMigrations } from "../lib/runtime";

// Never a key made up here (as the CLI never makes one): rows keyed with a key the app lacks would lock everyone out.
const key = resolveAuditKey(auditSettingsFromEnv(process.env), { create: false });
const db = await openDatabase(databaseSettingsFromEnv(), key ? appDataMigrations(key) : []);
const { applied, alreadyApplied } = db.migrations;
console.log(`${db.description}: ${applied.length} migration(s) applied${applied.length ? ` (${applied.join(", ")})` : ""}, ${alreadyApplied} already applied.`);
if (!key) console.log("No ROLEGATE_AUDIT_KEY (nor key file in the data dir): the data migrations are left for the app's start-up.");
await db.close();
