// The secret that anchors the audit trail outside the database: rows are chained
// with HMAC-SHA256 under it and checkpoints of the chain's head are signed with
// it, so someone who can rewrite the table (but does not hold the key) cannot
// recompute a chain or a checkpoint that verifies. The same secret keys what
// RoleGate must recognise as its own when it reads it back from the database:
// session and API token hashes (lib/auth/session-token.ts) and approvals
// (lib/requests/approval-signatures.ts), each under a subkey of its own.
//
// ROLEGATE_AUDIT_KEY when set (required in aws mode, checked at start-up by
// lib/config); otherwise, in sandbox mode, a random key generated once into the
// data dir (audit.key, mode 0600) and reused.
import { createHmac, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { auditSettingsFromEnv, type AuditSettings } from "@/lib/config/audit";

export interface AuditKey {
  /** Keys row hashes (lib/audit/chain.ts). */
  chain: Buffer;
  /** Signs checkpoints (lib/audit/checkpoint.ts). */
  checkpoint: Buffer;
  /** Keys the stored hashes of session and API tokens (lib/auth/session-token.ts). */
  credentials: Buffer;
  /** Signs reviews and system approvals (lib/requests/approval-signatures.ts). */
  approvals: Buffer;
  /** Public fingerprint: names the key in checkpoints without revealing it. */
  id: string;
  /** Where it came from, for messages: "ROLEGATE_AUDIT_KEY" or the key file. */
  source: string;
}

export class AuditKeyError extends Error {
  override name = "AuditKeyError";
}

/** Separate subkeys for separate uses, so e.g. a row hash can never pass for a checkpoint or an approval signature. */
export function deriveAuditKey(secret: string, source: string): AuditKey {
  const sub = (label: string) => createHmac("sha256", Buffer.from(secret, "utf8")).update(label).digest();
  return {
    chain: sub("rolegate/audit/chain/v1"),
    checkpoint: sub("rolegate/audit/checkpoint/v1"),
    credentials: sub("rolegate/credentials/v1"),
    approvals: sub("rolegate/approvals/v1"),
    id: sub("rolegate/audit/key-id/v1").subarray(0, 8).toString("hex"),
    source,
  };
}

function readKeyFile(file: string): string {
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) {
    throw new AuditKeyError(`${file} is readable by other users (mode ${mode.toString(8)}): run chmod 600 ${file}`);
  }
  const secret = readFileSync(file, "utf8").trim();
  if (secret.length < 32) throw new AuditKeyError(`${file} does not hold an audit key (expected 64 hex characters)`);
  return secret;
}

/**
 * The key of these settings. `create`: generate the key file when there is
 * neither ROLEGATE_AUDIT_KEY nor a key file (the app in sandbox mode); without
 * it a missing key is null (the CLI, which must not invent a key to verify with).
 */
export function resolveAuditKey(settings: AuditSettings, options: { create: boolean }): AuditKey | null {
  if (settings.key !== undefined) return deriveAuditKey(settings.key, "ROLEGATE_AUDIT_KEY");
  const file = path.resolve(settings.keyFile);
  try {
    return deriveAuditKey(readKeyFile(file), file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  if (!options.create) return null;
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    // "wx": two processes racing to create it end up with the same key.
    writeFileSync(file, `${randomBytes(32).toString("hex")}\n`, { flag: "wx", mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  return deriveAuditKey(readKeyFile(file), file);
}

const KEY = Symbol.for("rolegate.audit-key");

/** The process's key (resolved once): what recordAudit chains with and the app verifies with. */
export function getAuditKey(): AuditKey {
  const holder = globalThis as { [KEY]?: AuditKey };
  holder[KEY] ??= resolveAuditKey(auditSettingsFromEnv(process.env), { create: true })!;
  return holder[KEY];
}
