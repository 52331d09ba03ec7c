// The `rolegate` command line as a real process, and the embedded data dir it opens.
import { spawn } from "node:child_process";
import path from "node:path";
import type { PrismaClient } from "@/lib/db/generated/client";
import { openEmbedded, type OpenedDatabase } from "@/lib/db/drivers";
import { createPrismaClient } from "@/lib/db/prisma-client";

const ROOT = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(ROOT, "bin/rolegate.mjs");

/** Runs `rolegate ...args` on the embedded database in dataDir (never DATABASE_URL); env: undefined removes a variable. */
export function runCli(dataDir: string, args: string[], envPatch: Record<string, string | undefined> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ROLEGATE_DATA_DIR: dataDir, ...envPatch };
    delete env.DATABASE_URL;
    for (const [k, v] of Object.entries(envPatch)) if (v === undefined) delete env[k];
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Opens the data dir in this process (taking its lock), runs fn, and closes it again. */
export async function withEmbeddedDb(dataDir: string, fn: (db: OpenedDatabase, prisma: PrismaClient) => Promise<void>): Promise<void> {
  const db = await openEmbedded(dataDir);
  const prisma = createPrismaClient(db.adapter);
  try {
    await fn(db, prisma);
  } finally {
    await prisma.$disconnect();
    await db.close();
  }
}
