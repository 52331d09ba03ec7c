import { readFile } from "node:fs/promises";
import { canAssumeCommand } from "./can-assume";
import { auditCommand } from "./audit-verify";
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIO, type Command } from "./types";

/** Command registry: add new commands (scan, audit verify, ...) here. */
export const commands: readonly Command[] = [canAssumeCommand, auditCommand];

export function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const list = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n");
  return `Usage: rolegate <command> [options]\n\nCommands:\n${list}\n\nRun "rolegate <command> --help" for a command's options.\n`;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export const processIO: CliIO = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  readFile: (p) => readFile(p, "utf8"),
  readStdin,
};

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, " ").trim();
}

/** Runs the CLI and returns the exit code; never throws. */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(mainHelp());
    return EXIT_OK;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`rolegate: unknown command "${name}" (run "rolegate --help" for the list)\n`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    const msg = e instanceof UsageError ? e.message : `internal error: ${(e as Error)?.message ?? String(e)}`;
    io.stderr(`rolegate: ${oneLine(msg)}\n`);
    return EXIT_USAGE;
  }
}
