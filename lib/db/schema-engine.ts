// Prisma's schema engine compiled to WebAssembly, driven with an in-memory PGlite
// as its database and shadow database. This replaces `prisma migrate diff`, whose
// native engine binary cannot be downloaded on our machines. Dev/test tooling only.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
// The engine expects the error-capturing wrapper Prisma's own CLI puts around adapters.
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

const require = createRequire(import.meta.url);

type Engine = {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
};

async function loadEngineClass(): Promise<{ new: (o: unknown, cb: unknown, a: unknown) => Promise<Engine> }> {
  const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
  // The package targets bundlers (it imports the .wasm file as a module); in Node we
  // instantiate the binary ourselves and hand it to the generated glue.
  const glue = await import(pathToFileURL(path.join(dir, "schema_engine_bg.js")).href);
  const bytes = readFileSync(path.join(dir, "schema_engine_bg.wasm"));
  const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": glue });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  return glue.SchemaEngine;
}

/** Every .prisma file of the schema folder (multi-file schema). */
function readSchemaFiles(schemaDir: string): { path: string; content: string }[] {
  return readdirSync(schemaDir)
    .filter((f) => f.endsWith(".prisma"))
    .sort()
    .map((f) => ({ path: path.join(schemaDir, f), content: readFileSync(path.join(schemaDir, f), "utf8") }));
}

function readMigrationsList(migrationsDir: string) {
  const dirs = existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  return {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((name) => {
      const file = path.join(migrationsDir, name, "migration.sql");
      return {
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: existsSync(file)
            ? { tag: "ok" as const, value: readFileSync(file, "utf8") }
            : { tag: "error" as const, value: `missing ${file}` },
        },
      };
    }),
  };
}

/**
 * The SQL that takes a database built from the migrations in `migrationsDir` to
 * the state the schema folder describes. Empty string: they agree.
 */
export async function diffMigrationsToSchema(schemaDir: string, migrationsDir: string): Promise<string> {
  const SchemaEngine = await loadEngineClass();
  const files = readSchemaFiles(schemaDir);
  const db = new PGlite({ dataDir: "memory://rolegate-schema-engine" });
  const engine = await SchemaEngine.new(
    { datamodels: files.map((f) => [f.path, f.content]) },
    () => {},
    bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(db)),
  );
  try {
    const result = await engine.diff({
      from: { tag: "migrations", ...readMigrationsList(migrationsDir) },
      to: { tag: "schemaDatamodel", files },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    const sql = (result.stdout ?? "").trim();
    return sql === "-- This is an empty migration." ? "" : sql;
  } finally {
    engine.free();
    await db.close();
  }
}
