// Taking a checkpoint: verify the chain (and any checkpoints already in the
// file), sign its head with the audit key, append it to the checkpoint file as
// one JSON line and post it to the webhook. A chain that does not verify gets no
// checkpoint (signing it would bless the tampering): an alert goes to the
// webhook instead and the job fails.
//
// Periodic: every ROLEGATE_AUDIT_CHECKPOINT_MINUTES one "audit-checkpoint" job
// per interval slot (the slot key makes the enqueue of other replicas a no-op).
// On demand: `rolegate audit checkpoint`, or POST /api/v1/audit/checkpoints.
import { appendFile, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { PrismaClient } from "@/lib/db/generated/client";
import { enqueueJob } from "@/lib/jobs/queue";
import { postWebhook } from "@/lib/jobs/webhook";
import { parseCheckpoints, type AuditCheckpoint, type ParsedCheckpoint } from "@/lib/audit/checkpoint";
import { auditSettingsFromEnv } from "@/lib/config/audit";
import { DomainError } from "@/lib/core/errors";
import { getAuditKey, type AuditKey } from "@/lib/audit/key";
import { signVerifiedHead, type VerifyResult } from "@/lib/audit/verify";

export interface CheckpointDeps {
  prisma: Pick<PrismaClient, "auditEvent">;
  key: AuditKey;
  /** The JSON-lines file checkpoints are appended to. */
  file: string;
  /** Posts to the webhook (default: ROLEGATE_WEBHOOK_URL). */
  notify?: (body: { text: string } & Record<string, unknown>) => Promise<unknown>;
  now?: () => Date;
}

export class AuditChainBrokenError extends Error {
  constructor(readonly result: VerifyResult) {
    super(`the audit chain does not verify, so no checkpoint was signed: ${problemOf(result)}`);
    this.name = "AuditChainBrokenError";
  }
}

export function problemOf(result: VerifyResult): string {
  if (result.firstBadRow) return `row ${result.firstBadRow.id}: ${result.firstBadRow.reason}`;
  if (result.badCheckpoint) return `checkpoint on line ${result.badCheckpoint.line} (${result.badCheckpoint.at}): ${result.badCheckpoint.reason}`;
  return "valid";
}

async function existingCheckpoints(file: string): Promise<ParsedCheckpoint[] | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  return text.trim() === "" ? undefined : parseCheckpoints(text, file);
}

export async function takeAuditCheckpoint(deps: CheckpointDeps): Promise<AuditCheckpoint> {
  const notify = deps.notify ?? ((body) => postWebhook(body));
  const file = path.resolve(deps.file);
  const { result, checkpoint } = await signVerifiedHead(deps.prisma, deps.key, deps.now?.() ?? new Date(), await existingCheckpoints(file));
  if (!checkpoint) {
    const error = new AuditChainBrokenError(result);
    await notify({ text: `RoleGate audit.chain_broken: ${error.message}`, rolegate: { event: "audit.chain_broken", result } }).catch(() => {});
    throw error;
  }
  await mkdir(path.dirname(file), { recursive: true });
  await appendFile(file, `${JSON.stringify(checkpoint)}\n`, "utf8");
  await notify({
    text: `RoleGate audit.checkpoint: ${checkpoint.count} rows, head row ${checkpoint.lastId ?? "(none)"} hash ${checkpoint.hash} at ${checkpoint.at} (key ${checkpoint.keyId})`,
    rolegate: { event: "audit.checkpoint", checkpoint },
  });
  return checkpoint;
}

/** Enqueues the checkpoint of the current interval slot (a no-op when that slot's job exists). */
export async function scheduleAuditCheckpoint(prisma: Pick<PrismaClient, "job">, everyMinutes: number, at: Date = new Date()): Promise<void> {
  const slot = Math.floor(at.getTime() / (everyMinutes * 60_000));
  await enqueueJob(prisma, { queue: "audit-checkpoint", key: `audit-checkpoint:${everyMinutes}:${slot}`, payload: {}, maxAttempts: 3 });
}

/** On demand in the app: this process's key and ROLEGATE_AUDIT_CHECKPOINT_FILE; a broken chain is a 409. */
export async function takeConfiguredAuditCheckpoint(prisma: CheckpointDeps["prisma"]): Promise<AuditCheckpoint> {
  try {
    return await takeAuditCheckpoint({ prisma, key: getAuditKey(), file: auditSettingsFromEnv(process.env).checkpointFile });
  } catch (e) {
    if (e instanceof AuditChainBrokenError) throw new DomainError("conflict", e.message);
    throw e;
  }
}
