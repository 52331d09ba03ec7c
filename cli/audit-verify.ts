// `rolegate audit verify` and `rolegate audit checkpoint`: check the audit
// trail's keyed hash chain (and signed checkpoints of it) straight from the
// database (DATABASE_URL, else the embedded data dir ROLEGATE_DATA_DIR), and
// sign a checkpoint on demand.
import { parseOptions } from "./args";
import { EXIT_NO, EXIT_OK, UsageError, type CliIO, type Command } from "./types";

const HELP = `Usage: rolegate audit verify [--checkpoint FILE] [--json]
       rolegate audit checkpoint [--file FILE] [--json]

verify: check the tamper-evident audit trail. Every row's hash must match its
content (HMAC-SHA256 with the audit key; plain SHA-256 only for rows from before
the key) and chain to the previous row. Names the first row that does not.
With --checkpoint, also holds the trail against every signed checkpoint in FILE
(one JSON line each, as RoleGate writes them): a forged checkpoint, a head row
that is missing (rows cut from the end) or different (chain re-hashed), or a
different number of rows up to it, fails.

checkpoint: verify the chain, then sign its head with the audit key and append
it to FILE (default ROLEGATE_AUDIT_CHECKPOINT_FILE, else <data dir>/audit-
checkpoints.jsonl) and post it to ROLEGATE_WEBHOOK_URL, as the app does every
ROLEGATE_AUDIT_CHECKPOINT_MINUTES.

The audit key is ROLEGATE_AUDIT_KEY, else the audit.key file in the data dir.
Reads the database RoleGate uses: DATABASE_URL (Postgres) if set, else the
embedded database in ROLEGATE_DATA_DIR (default .data). The embedded database
can be open in one process only: stop the app first, or use Postgres.

Options:
  --checkpoint FILE  verify: checkpoints to hold the trail against.
  --file FILE        checkpoint: where to append the new checkpoint.
  --json             Print the result as JSON: verify {"valid","rows","unchained",
                     "legacy"?,"head","firstBadRow"?,"checkpoints"?,"badCheckpoint"?};
                     checkpoint the signed checkpoint.
  -h, --help         Show this help.

Exit status: 0 chain (and checkpoints) valid, 1 broken, 2 database, key or
checkpoint file unusable, or bad usage.`;

async function openForAudit(env: NodeJS.ProcessEnv) {
  const { databaseSettingsFromEnv } = await import("@/lib/db/connection");
  const { openEmbedded, openPostgres } = await import("@/lib/db/drivers");
  const settings = databaseSettingsFromEnv(env);
  try {
    // Read-only: no migrations are applied; an unmigrated database is "unusable".
    return settings.url ? await openPostgres(settings.url) : await openEmbedded(settings.dataDir);
  } catch (e) {
    throw new UsageError(`cannot open the database: ${(e as Error).message}`);
  }
}

/** The audit key from the environment or the data dir; never generates one. */
async function auditKeyForCli(env: NodeJS.ProcessEnv, required: boolean) {
  const { auditSettingsFromEnv } = await import("@/lib/config/audit");
  const { resolveAuditKey } = await import("@/lib/audit/key");
  try {
    const settings = auditSettingsFromEnv(env);
    const key = resolveAuditKey(settings, { create: false });
    if (!key && required) throw new UsageError(`no audit key: set ROLEGATE_AUDIT_KEY (or ROLEGATE_DATA_DIR to the data dir holding audit.key)`);
    return { key, settings };
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError((e as Error).message);
  }
}

async function readCheckpoints(file: string, io: CliIO) {
  const { parseCheckpoints } = await import("@/lib/audit/checkpoint");
  let text: string;
  try {
    text = await io.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "permission denied" : (e as Error).message;
    throw new UsageError(`cannot read checkpoint file "${file}": ${why}`);
  }
  try {
    return parseCheckpoints(text, file);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Runs fn with a Prisma client on the configured database, turning read failures into one-line usage errors. */
async function withAuditTrail<T>(fn: (prisma: import("@/lib/db/generated/client").PrismaClient) => Promise<T>): Promise<T> {
  const db = await openForAudit(process.env);
  try {
    // Loaded on demand: other commands should not pay for the Prisma client.
    const { createPrismaClient } = await import("@/lib/db/prisma-client");
    const { AuditKeyError } = await import("@/lib/audit/key");
    const prisma = createPrismaClient(db.adapter);
    try {
      return await fn(prisma);
    } catch (e) {
      if (e instanceof UsageError || e instanceof AuditKeyError) throw new UsageError((e as Error).message);
      if ((e as Error).name === "AuditChainBrokenError") throw e;
      const message = (e as Error).message;
      throw new UsageError(
        /does not exist/.test(message)
          ? `${db.description} has no audit trail table yet: start RoleGate once (or run npm run db:migrate) to create it`
          : `cannot read the audit trail from ${db.description}: ${message}`,
      );
    } finally {
      await prisma.$disconnect();
    }
  } finally {
    await db.close();
  }
}

async function verify(args: string[], io: CliIO): Promise<number> {
  const opts = parseOptions(args, { json: "boolean", help: "boolean", checkpoint: "string" });
  if (opts.help) {
    io.stdout(`${HELP}\n`);
    return EXIT_OK;
  }
  const checkpointFile = opts.checkpoint as string | undefined;
  if (checkpointFile === "") throw new UsageError("--checkpoint must not be empty");
  const { key } = await auditKeyForCli(process.env, checkpointFile !== undefined);
  const checkpoints = checkpointFile === undefined ? undefined : await readCheckpoints(checkpointFile, io);
  const { verifyAuditChain } = await import("@/lib/audit/verify");
  const result = await withAuditTrail((prisma) => verifyAuditChain(prisma, { key, ...(checkpoints ? { checkpoints } : {}) }));
  if (opts.json) io.stdout(`${JSON.stringify(result)}\n`);
  else if (result.firstBadRow) {
    io.stdout(`Audit chain BROKEN at row ${result.firstBadRow.id}: ${result.firstBadRow.reason}\n`);
  } else if (result.badCheckpoint) {
    const b = result.badCheckpoint;
    io.stdout(`Audit checkpoint FAILED (line ${b.line}, taken ${b.at}, head row ${b.lastId ?? "none"}): ${b.reason}\n`);
  } else {
    const head = result.head ? ` Last row ${result.head.id}, hash ${result.head.hash}.` : "";
    const old = [
      result.unchained ? `${result.unchained} rows from before the chain are not covered` : "",
      result.legacy ? `${result.legacy} rows from before the audit key are hashed without it` : "",
    ].filter(Boolean);
    const c = result.checkpoints;
    const cps = c?.latest ? ` Matches ${c.checked} checkpoint(s); the newest (line ${c.latest.line}, ${c.latest.at}) covers ${c.latest.count} rows.` : "";
    io.stdout(`Audit chain valid: ${result.rows} rows checked${old.length ? ` (${old.join("; ")})` : ""}.${head}${cps}\n`);
  }
  return result.valid ? EXIT_OK : EXIT_NO;
}

async function checkpoint(args: string[], io: CliIO): Promise<number> {
  const opts = parseOptions(args, { json: "boolean", help: "boolean", file: "string" });
  if (opts.help) {
    io.stdout(`${HELP}\n`);
    return EXIT_OK;
  }
  if (opts.file === "") throw new UsageError("--file must not be empty");
  const { key, settings } = await auditKeyForCli(process.env, true);
  const file = (opts.file as string | undefined) ?? settings.checkpointFile;
  const { takeAuditCheckpoint, AuditChainBrokenError } = await import("@/lib/workers/audit-checkpoints");
  try {
    const cp = await withAuditTrail((prisma) => takeAuditCheckpoint({ prisma, key: key!, file }));
    if (opts.json) io.stdout(`${JSON.stringify(cp)}\n`);
    else io.stdout(`Checkpoint appended to ${file}: ${cp.count} rows, head row ${cp.lastId ?? "(none)"}, hash ${cp.hash}, at ${cp.at}.\n`);
    return EXIT_OK;
  } catch (e) {
    if (!(e instanceof AuditChainBrokenError)) throw e;
    if (opts.json) io.stdout(`${JSON.stringify(e.result)}\n`);
    else io.stdout(`No checkpoint: ${e.message}\n`);
    return EXIT_NO;
  }
}

export const auditCommand: Command = {
  name: "audit",
  summary: "Audit trail tools: `audit verify` checks the keyed hash chain and checkpoints, `audit checkpoint` signs one",
  help: HELP,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === "--help" || sub === "-h") {
      io.stdout(`${HELP}\n`);
      return EXIT_OK;
    }
    if (sub === undefined) throw new UsageError(`missing subcommand: rolegate audit verify [--checkpoint FILE] [--json] | rolegate audit checkpoint`);
    if (sub === "verify") return verify(rest, io);
    if (sub === "checkpoint") return checkpoint(rest, io);
    throw new UsageError(`unknown audit subcommand "${sub}" (available: verify, checkpoint)`);
  },
};
