// Settings of the audit trail's anchor outside the database (lib/audit/key.ts,
// lib/audit/checkpoint.ts): the HMAC key of the hash chain and where signed
// checkpoints of its head go. Read from the environment here so the start-up
// check (loadConfig) and the writers (recordAudit in any process) agree.
import path from "node:path";
import { ConfigError } from "./schema";

export interface AuditSettings {
  /** ROLEGATE_AUDIT_KEY: the chain and checkpoint key; when absent, keyFile holds a generated one (sandbox mode only). */
  key?: string;
  /** Where a generated key lives: <data dir>/audit.key, mode 0600. */
  keyFile: string;
  /** ROLEGATE_AUDIT_CHECKPOINT_FILE: JSON lines of signed checkpoints (default <data dir>/audit-checkpoints.jsonl). */
  checkpointFile: string;
  /** ROLEGATE_AUDIT_CHECKPOINT_MINUTES: how often the job runner signs a checkpoint (default 60). */
  checkpointEveryMinutes: number;
}

export const AUDIT_KEY_MIN_LENGTH = 32;

export function auditSettingsFromEnv(env: Record<string, string | undefined> = process.env): AuditSettings {
  const dataDir = env.ROLEGATE_DATA_DIR || ".data";
  const key = env.ROLEGATE_AUDIT_KEY || undefined;
  if (key !== undefined && key.trim().length < AUDIT_KEY_MIN_LENGTH) {
    throw new ConfigError("ROLEGATE_AUDIT_KEY", `must be at least ${AUDIT_KEY_MIN_LENGTH} characters of secret (e.g. the output of \`openssl rand -hex 32\`)`);
  }
  const minutesText = env.ROLEGATE_AUDIT_CHECKPOINT_MINUTES;
  let checkpointEveryMinutes = 60;
  if (minutesText !== undefined && minutesText !== "") {
    const n = Number(minutesText);
    if (!Number.isInteger(n) || n < 1 || n > 7 * 24 * 60) {
      throw new ConfigError("ROLEGATE_AUDIT_CHECKPOINT_MINUTES", `"${minutesText}" must be a whole number of minutes from 1 to 10080 (a week)`);
    }
    checkpointEveryMinutes = n;
  }
  return {
    ...(key !== undefined ? { key: key.trim() } : {}),
    keyFile: path.join(dataDir, "audit.key"),
    checkpointFile: env.ROLEGATE_AUDIT_CHECKPOINT_FILE || path.join(dataDir, "audit-checkpoints.jsonl"),
    checkpointEveryMinutes,
  };
}

/**
 * aws mode needs ROLEGATE_AUDIT_KEY: a key generated next to the database would
 * be readable by whoever can read the database's files, and each replica would
 * make its own.
 */
export function requireAuditKey(settings: AuditSettings, mode: "sandbox" | "aws"): void {
  if (mode === "aws" && settings.key === undefined) {
    throw new ConfigError(
      "ROLEGATE_AUDIT_KEY",
      "aws mode needs the secret that keys the audit trail's hash chain and signs its checkpoints: set ROLEGATE_AUDIT_KEY (at least 32 characters, e.g. `openssl rand -hex 32`) from your secret store, the same on every replica",
    );
  }
}
