// A RoleGate replica in its own process, on a free port, against the database and
// sandbox its settings name: `node --import tsx scripts/start.ts` (what `npm start`
// runs) in the checkout, or, given an assembled app (scripts/image/assemble.ts),
// `node scripts/start.mjs` in it, as the image's entrypoint runs it. The built app
// is shared by every replica of a checkout, as one image is by every pod.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, type WriteStream } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

// Both under vitest and under tsx (bench/pages.ts), which has no __dirname in ES modules.
const root = fileURLToPath(new URL("../..", import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export class Replica {
  private child: ChildProcess | undefined;
  private logStream: WriteStream | undefined;
  private exited: Promise<number | null> | undefined;
  private readonly dataDir = mkdtempSync(path.join(os.tmpdir(), "rolegate-replica-"));
  port = 0;
  /** Everything the process printed: tmp/replica-<name>.log. */
  readonly logFile: string;

  /** `appDir`: an assembled app (the image's /app) to run instead of the checkout's sources. */
  constructor(readonly name: string, private readonly env: Record<string, string>, private readonly appDir?: string) {
    this.logFile = path.join(root, "tmp", `replica-${name}.log`);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.port = await freePort();
    // The test runner's own settings (NODE_ENV=test, VITEST_*) are not a deployment's.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST") && k !== "NODE_ENV"));
    this.logStream = createWriteStream(this.logFile);
    const [args, cwd] = this.appDir ? [["scripts/start.mjs"], this.appDir] : [["--import", "tsx", "scripts/start.ts"], root];
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...inherited, NODE_ENV: "production", ROLEGATE_DATA_DIR: this.dataDir, PORT: String(this.port), ...this.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    child.stdout!.pipe(this.logStream, { end: false });
    child.stderr!.pipe(this.logStream, { end: false });
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  }

  /** Waits until /readyz answers 200 (database, migrations, job runner), or fails naming the log. */
  async ready(timeoutMs = 240_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    let exitCode: number | null | undefined;
    void this.exited?.then((c) => (exitCode = c));
    while (Date.now() < until) {
      if (exitCode !== undefined) throw new Error(`replica ${this.name} exited (${exitCode}) before it was ready: see ${this.logFile}`);
      const ok = await fetch(`${this.url}/readyz`).then((r) => r.status === 200, () => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`replica ${this.name} was not ready within ${timeoutMs} ms: see ${this.logFile}`);
  }

  /** SIGKILL: no shutdown hook runs, as when a node dies. */
  async kill(): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill("SIGKILL");
    await this.exited;
  }

  async stop(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill("SIGTERM");
      const done = await Promise.race([this.exited!.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
      if (!done) await this.kill();
    }
    this.logStream?.end();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
