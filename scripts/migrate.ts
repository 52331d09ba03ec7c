// `npm run db:migrate`: applies pending migrations to the configured database
// (DATABASE_URL, or the embedded one in ROLEGATE_DATA_DIR). Start-up does the same.
import { databaseSettingsFromEnv, openDatabase } from "../lib/db/connection";

const db = await openDatabase(databaseSettingsFromEnv());
const { applied, alreadyApplied } = db.migrations;
console.log(`${db.description}: ${applied.length} migration(s) applied${applied.length ? ` (${applied.join(", ")})` : ""}, ${alreadyApplied} already applied.`);
await db.close();
