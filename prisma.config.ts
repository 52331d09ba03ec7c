import { defineConfig } from "prisma/config";

// Only `prisma generate` uses this file: migrations are written by
// scripts/new-migration.ts and applied by scripts/migrate.ts (the native schema
// engine cannot be downloaded on our machines).
export default defineConfig({
  schema: "prisma/schema",
  migrations: { path: "prisma/migrations" },
});
