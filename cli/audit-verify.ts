// `rolegate audit verify`: recomputes the audit trail's hash chain straight from
// the database (DATABASE_URL, else the embedded data dir ROLEGATE_DATA_DIR).
import { parseOptions } from "./args";
import { EXIT_NO, EXIT_OK, UsageError, type CliIO, type Command } from "./types";

const HELP = `Usage: rolegate audit verify [--json]

Check the tamper-evident audit trail: every row's hash must match its content
and chain to the previous row. Names the first row that does not.

Reads the database RoleGate uses: DATABASE_URL (Postgres) if set, else the
embedded database in ROLEGATE_DATA_DIR (default .data). The embedded database
can be open in one process only: stop the app first, or use Postgres.

Options:
  --json       Print {"valid","rows","unchained","head","firstBadRow"} as JSON.
  -h, --help   Show this help.

Exit status: 0 chain valid, 1 chain broken, 2 database unusable or bad usage.`;

async function openForVerify(env: NodeJS.ProcessEnv) {
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

async function verify(args: string[], io: CliIO): Promise<number> {
  const opts = parseOptions(args, { json: "boolean", help: "boolean" });
  if (opts.help) {
    io.stdout(`${HELP}\n`);
    return EXIT_OK;
  }
  const db = await openForVerify(process.env);
  try {
    // Loaded on demand: other commands should not pay for the Prisma client.
    const { createPrismaClient } = await import("@/lib/db/prisma-client");
    const { verifyAuditChain } = await import("@/lib/audit/verify");
    const prisma = createPrismaClient(db.adapter);
    let result;
    try {
      result = await verifyAuditChain(prisma);
    } catch (e) {
      const message = (e as Error).message;
      throw new UsageError(
        /does not exist/.test(message)
          ? `${db.description} has no audit trail table yet: start RoleGate once (or run npm run db:migrate) to create it`
          : `cannot read the audit trail from ${db.description}: ${message}`,
      );
    } finally {
      await prisma.$disconnect();
    }
    if (opts.json) io.stdout(`${JSON.stringify(result)}\n`);
    else if (result.valid) {
      const head = result.head ? ` Last row ${result.head.id}, hash ${result.head.hash}.` : "";
      const legacy = result.unchained ? ` (${result.unchained} rows from before the chain are not covered)` : "";
      io.stdout(`Audit chain valid: ${result.rows} rows checked${legacy}.${head}\n`);
    } else {
      io.stdout(`Audit chain BROKEN at row ${result.firstBadRow!.id}: ${result.firstBadRow!.reason}\n`);
    }
    return result.valid ? EXIT_OK : EXIT_NO;
  } finally {
    await db.close();
  }
}

export const auditCommand: Command = {
  name: "audit",
  summary: "Audit trail tools: `audit verify` checks the hash chain",
  help: HELP,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === "--help" || sub === "-h") {
      io.stdout(`${HELP}\n`);
      return EXIT_OK;
    }
    if (sub === undefined) throw new UsageError(`missing subcommand: rolegate audit verify [--json]`);
    if (sub !== "verify") throw new UsageError(`unknown audit subcommand "${sub}" (available: verify)`);
    return verify(rest, io);
  },
};
