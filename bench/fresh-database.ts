// A fresh, empty, migrated Postgres database next to DATABASE_URL's (or `url`'s):
// `<its name>_<suffix>`, dropped first when a run before left it behind.
import pg from "pg";
import { openPostgres } from "../lib/db/drivers";
import { migrate } from "../lib/db/migrate";

export async function freshDatabase(suffix: string, url = process.env.DATABASE_URL): Promise<string> {
  if (!url) throw new Error("this benchmark needs DATABASE_URL (a Postgres server)");
  const parsed = new URL(url);
  const name = `${parsed.pathname.slice(1) || "rolegate"}_${suffix}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  parsed.pathname = `/${name}`;
  const db = await openPostgres(parsed.toString());
  await migrate(db.raw);
  await db.close();
  return parsed.toString();
}
