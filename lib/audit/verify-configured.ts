// What the app checks on GET /api/v1/audit/verify: the chain with this process's
// key, held against the checkpoints in the configured checkpoint file when there
// is one (so rows cut from the end show up on the /audit page too). A checkpoint
// file that cannot be parsed makes the result invalid: it is part of the anchor.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { PrismaClient } from "@/lib/db/generated/client";
import { auditSettingsFromEnv } from "@/lib/config/audit";
import { CheckpointFileError, parseCheckpoints, type ParsedCheckpoint } from "./checkpoint";
import { verifyAuditChain, type VerifyResult } from "./verify";

export async function verifyConfiguredAuditTrail(prisma: Pick<PrismaClient, "auditEvent">, file = auditSettingsFromEnv(process.env).checkpointFile): Promise<VerifyResult> {
  const resolved = path.resolve(file);
  let checkpoints: ParsedCheckpoint[] | undefined;
  try {
    const text = await readFile(resolved, "utf8");
    if (text.trim() !== "") checkpoints = parseCheckpoints(text, path.basename(resolved));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") checkpoints = undefined;
    else if (e instanceof CheckpointFileError) {
      const chain = await verifyAuditChain(prisma);
      return chain.valid ? { ...chain, valid: false, badCheckpoint: { line: e.line, lastId: null, at: "", reason: e.message } } : chain;
    } else throw e;
  }
  return verifyAuditChain(prisma, checkpoints ? { checkpoints } : {});
}
