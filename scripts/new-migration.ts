// Writes prisma/migrations/<timestamp>_<name>/migration.sql: the SQL that takes
// the existing migrations to schema.prisma. Usage: npm run db:new-migration -- add_requests
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { diffMigrationsToSchema } from "../lib/db/schema-engine";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:new-migration -- <name>   (name: lowercase letters, digits, _)");
  process.exit(2);
}
const migrationsDir = path.resolve("prisma/migrations");
// Two people generating at once would both write the same tables: take turns.
const lock = path.join(migrationsDir, ".generating.lock");
for (let waited = 0; ; waited += 500) {
  try {
    closeSync(openSync(lock, "wx"));
    break;
  } catch {
    if (waited > 180_000) throw new Error(`${lock} is held; remove it if no generation is running`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
process.on("exit", () => rmSync(lock, { force: true }));
const sql = await diffMigrationsToSchema(path.resolve("prisma/schema"), migrationsDir);
if (!sql) {
  console.log("prisma/schema and prisma/migrations already agree: nothing to write.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join(migrationsDir, `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "migration.sql"), sql + "\n");
console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
