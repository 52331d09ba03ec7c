// Persists the world to a JSON file so sandbox mutations survive restarts.
// Writes are debounced (bursts of mutations cost one write) and atomic
// (tmp + rename), so a crash mid-write never leaves a truncated state file.
import fs from "node:fs";
import path from "node:path";
import type { SandboxWorld } from "../model";

export function loadWorldFile(file: string): SandboxWorld | undefined {
  if (!fs.existsSync(file)) return undefined;
  const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as { accounts?: unknown };
  if (!parsed || typeof parsed !== "object" || typeof parsed.accounts !== "object" || parsed.accounts === null) {
    throw new Error(`${file} is not a sandbox world (no "accounts" object)`);
  }
  return parsed as SandboxWorld;
}

function writeWorldFileAtomic(file: string, world: SandboxWorld): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(world));
  fs.renameSync(tmp, file);
}

export class DebouncedWorldWriter {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly file: string,
    private readonly world: () => SandboxWorld,
    private readonly delayMs = 200,
    private readonly onError: (e: unknown) => void = (e) => console.error(`[sandbox] could not save state: ${String(e)}`),
  ) {}

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.write();
    }, this.delayMs);
    this.timer.unref?.();
  }

  /** Writes now if a write is pending. */
  flush(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.write();
  }

  private write(): void {
    try {
      writeWorldFileAtomic(this.file, this.world());
    } catch (e) {
      this.onError(e);
    }
  }
}
