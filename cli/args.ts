import { UsageError } from "./types";

export type OptionSpec = Record<string, "string" | "boolean">;
export type ParsedOptions = Record<string, string | boolean | undefined>;

/**
 * Minimal `--name value` / `--name=value` / `--flag` parser. Hand-written rather
 * than node:util parseArgs so that "-" can be an option value (stdin) and
 * every error is a short, stable one-line message.
 */
export function parseOptions(args: string[], spec: OptionSpec): ParsedOptions {
  const out: ParsedOptions = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "-h") {
      out.help = true;
      continue;
    }
    if (!arg.startsWith("--") || arg === "--") throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const kind = spec[name];
    if (!kind) throw new UsageError(`unknown option --${name}`);
    if (out[name] !== undefined) throw new UsageError(`--${name} given more than once`);
    if (kind === "boolean") {
      if (eq >= 0) throw new UsageError(`--${name} does not take a value`);
      out[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = args[i + 1];
      if (value === undefined || (value.startsWith("--") && value.length > 2)) throw new UsageError(`--${name} needs a value`);
      i++;
    }
    out[name] = value;
  }
  return out;
}
