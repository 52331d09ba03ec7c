// Writes prisma/migrations/<timestamp>_<name>/migration.sql: the SQL that takes
// the existing migrations to schema.prisma. Usage: npm run db:new-migration -- add_requests
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { diffMigrationsToSchema } from "../lib/db/schema-engine";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:new-migration -- <name>   (name: lowercase letters, digits, _)");
  process.exit(2);
}
const migrationsDir = path.resolve("prisma/migrations");
const sql = await diffMigrationsToSchema(path.resolve("prisma/schema.prisma"), migrationsDir);
if (!sql) {
  console.log("schema.prisma and prisma/migrations already agree: nothing to write.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join(migrationsDir, `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "migration.sql"), sql + "\n");
console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
