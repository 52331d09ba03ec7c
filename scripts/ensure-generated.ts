// The Prisma client is generated code (not committed). Generate it when it is
// missing or older than the schema files; the native schema engine is not needed.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

export function ensurePrismaClient(root = process.cwd()): void {
  const schemaDir = path.join(root, "prisma/schema");
  const newest = Math.max(...readdirSync(schemaDir).map((f) => statSync(path.join(schemaDir, f)).mtimeMs));
  const client = path.join(root, "lib/db/generated/client.ts");
  if (existsSync(client) && statSync(client).mtimeMs >= newest) return;
  console.log("Generating the Prisma client…");
  execFileSync(path.join(root, "node_modules/.bin/prisma"), ["generate"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) ensurePrismaClient();
