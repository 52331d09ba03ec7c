/** Everything a command touches outside the process, so tests can run commands in-process. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Promise<string>;
  readStdin(): Promise<string>;
}

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full help text for `rolegate <name> --help`. */
  help: string;
  /** Returns the process exit code. Throw UsageError for unusable input (exit 2). */
  run(args: string[], io: CliIO): Promise<number>;
}

/** Unusable input: printed as one `rolegate: ...` line, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export const EXIT_OK = 0;
export const EXIT_NO = 1;
export const EXIT_USAGE = 2;
